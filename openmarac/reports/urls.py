from django.urls import path, re_path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard_page, name="dashboard"),
    path("reports/steering-group/", views.steering, name="steering"),
    path("reports/return/", views.safelives_return, name="safelives_return"),
    re_path(r"^reports/return\.(?P<fmt>csv|xlsx)$", views.return_download, name="return_download"),
    path("reports/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("reports/definitions/", views.definitions, name="definitions"),
    path("reports/settings/", views.settings_page, name="settings"),
    path("reports/areas/<int:area_id>/population/", views.population, name="population"),
    path("reports/exports/", views.exports_page, name="exports"),
    re_path(
        r"^reports/exports/(?P<kind>actions|attendance|referrals)\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
]
