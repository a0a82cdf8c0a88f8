from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("actions/", views.manager, name="manager"),
    path("actions/<uuid:public_id>/", views.detail, name="detail"),
    path("actions/<uuid:public_id>/update/", views.update, name="update"),
    path("actions/<uuid:public_id>/complete/", views.complete, name="complete"),
    path("actions/<uuid:public_id>/not-feasible/", views.not_feasible, name="not_feasible"),
    path("actions/<uuid:public_id>/comment/", views.comment, name="comment"),
    path("actions/<uuid:public_id>/own/", views.owner_agree, name="owner_agree"),
    path("actions/<uuid:public_id>/agree/", views.agree, name="agree"),
    path("actions/<uuid:public_id>/decline/", views.decline, name="decline"),
    path("cases/<str:reference>/actions/new/", views.propose, name="propose"),
    path("cases/<str:reference>/action-planning/", views.planning_open, name="planning_open"),
    path(
        "cases/<str:reference>/professionals-meeting/",
        views.professionals_request,
        name="professionals_request",
    ),
    path("hub/professionals-meetings/", views.professionals_list, name="professionals_list"),
    path(
        "hub/professionals-meetings/<uuid:public_id>/",
        views.professionals_schedule,
        name="professionals_schedule",
    ),
    path("hub/line-managers/", views.contacts, name="contacts"),
    path("hub/line-managers/<int:user_id>/", views.contact_edit, name="contact_edit"),
    path("hub/interventions/", views.library, name="library"),
    path("hub/interventions/add/", views.library_edit, name="library_add"),
    path("hub/interventions/<slug:slug>/", views.library_edit, name="library_edit"),
]
