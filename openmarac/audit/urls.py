from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("hub/audit/", views.index, name="index"),
    path("hub/audit/case/", views.case_report, name="case"),
    path("hub/audit/user/", views.user_report, name="user"),
    path("hub/audit/downloads/", views.downloads_report, name="downloads"),
    path("hub/audit/break-glass/", views.break_glass_report, name="break_glass"),
    path("hub/audit/out-of-pattern/", views.pattern_report, name="pattern"),
]
