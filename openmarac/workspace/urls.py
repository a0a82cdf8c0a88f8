from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("work/<slug:slug>/", views.work_list, name="list"),
]
