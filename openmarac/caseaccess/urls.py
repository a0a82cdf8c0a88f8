from django.urls import path

from . import views

app_name = "caseaccess"
urlpatterns = [
    path("hub/case-access/", views.index, name="index"),
    path("hub/case-access/<str:reference>/", views.manage, name="manage"),
    path(
        "hub/case-access/<str:reference>/grants/<int:grant_id>/remove/",
        views.remove_grant,
        name="remove_grant",
    ),
    path("hub/break-glass/", views.break_glass, name="break_glass"),
    path("cases/<str:reference>/conflict/", views.declare_conflict, name="declare_conflict"),
]
