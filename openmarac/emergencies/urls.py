from django.urls import path

from . import views

app_name = "emergencies"
urlpatterns = [
    path("emergencies/", views.emergency_list, name="list"),
    path("cases/<str:reference>/emergency/", views.emergency_request_view, name="request"),
    path("emergencies/<uuid:public_id>/", views.emergency_detail, name="detail"),
    path("emergencies/<uuid:public_id>/decide/", views.emergency_decide, name="decide"),
    path(
        "emergencies/<uuid:public_id>/urgent-action/",
        views.emergency_urgent_action_view,
        name="urgent_action",
    ),
]
