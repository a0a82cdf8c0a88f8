from django.urls import path

from . import views

app_name = "triage"
urlpatterns = [
    path("hub/triage/", views.queue, name="queue"),
    path("hub/triage/<uuid:public_id>/", views.referral_detail, name="referral"),
    path("hub/triage/<uuid:public_id>/accept/", views.accept, name="accept"),
    path("hub/triage/<uuid:public_id>/return/", views.return_incomplete, name="return"),
    path("hub/triage/<uuid:public_id>/decline/", views.decline, name="decline"),
    path(
        "hub/triage/<uuid:public_id>/people/<int:participant_id>/",
        views.participant_decide,
        name="participant_decide",
    ),
    path(
        "hub/triage/<uuid:public_id>/people/<int:participant_id>/unlink/",
        views.participant_unlink,
        name="participant_unlink",
    ),
    path("hub/people/<int:person_id>/", views.person_detail, name="person"),
    path(
        "hub/people/<int:person_id>/merge/<int:other_id>/",
        views.person_merge,
        name="person_merge",
    ),
    path("hub/people/merges/<int:merge_id>/undo/", views.person_unmerge, name="person_unmerge"),
    path("complex-cases/", views.complex_cases, name="complex_cases"),
    path("cases/<str:reference>/updates/", views.weekly_updates, name="weekly_updates"),
    path("cases/<str:reference>/updates/new/", views.weekly_update_new, name="weekly_update_new"),
]
