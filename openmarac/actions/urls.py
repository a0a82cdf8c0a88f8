from django.urls import path

from .views import (
    escalation,
    interventions,
    manager,
    planning,
    professionals,
    progress,
    proposals,
)

app_name = "actions"
urlpatterns = [
    path("actions/", manager.manager, name="manager"),
    path("actions/<uuid:public_id>/", manager.detail, name="detail"),
    path("actions/<uuid:public_id>/update/", progress.update, name="update"),
    path("actions/<uuid:public_id>/complete/", progress.complete, name="complete"),
    path("actions/<uuid:public_id>/not-feasible/", progress.not_feasible, name="not_feasible"),
    path("actions/<uuid:public_id>/comment/", proposals.comment, name="comment"),
    path("actions/<uuid:public_id>/own/", proposals.owner_agree, name="owner_agree"),
    path("actions/<uuid:public_id>/agree/", proposals.agree, name="agree"),
    path("actions/<uuid:public_id>/decline/", proposals.decline, name="decline"),
    path("cases/<str:reference>/actions/new/", proposals.propose, name="propose"),
    path("cases/<str:reference>/action-planning/", planning.planning_open, name="planning_open"),
    path(
        "cases/<str:reference>/professionals-meeting/",
        professionals.professionals_request,
        name="professionals_request",
    ),
    path(
        "hub/professionals-meetings/", professionals.professionals_list, name="professionals_list"
    ),
    path(
        "hub/professionals-meetings/<uuid:public_id>/",
        professionals.professionals_schedule,
        name="professionals_schedule",
    ),
    path("hub/line-managers/", escalation.contacts, name="contacts"),
    path("hub/line-managers/<int:user_id>/", escalation.contact_edit, name="contact_edit"),
    path("hub/interventions/", interventions.library, name="library"),
    path("hub/interventions/add/", interventions.library_edit, name="library_add"),
    path("hub/interventions/<slug:slug>/", interventions.library_edit, name="library_edit"),
]
