from django.urls import path

from . import lifecycle_views, views

app_name = "cases"
urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/<str:reference>/death/", lifecycle_views.case_death, name="death"),
]
