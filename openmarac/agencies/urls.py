from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("hub/agencies/", views.agency_list, name="list"),
    path("hub/agencies/<int:agency_id>/", views.agency_detail, name="detail"),
    path("hub/agencies/<int:agency_id>/withdraw/", views.agency_withdrawal, name="withdraw"),
]
