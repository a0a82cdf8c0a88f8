from django.urls import path

from .views import complex_cases, decisions, people, queue, referral, weekly_updates

app_name = "triage"
urlpatterns = [
    path("hub/triage/", queue.queue, name="queue"),
    path("hub/triage/<uuid:public_id>/", referral.referral_detail, name="referral"),
    path("hub/triage/<uuid:public_id>/accept/", decisions.accept, name="accept"),
    path("hub/triage/<uuid:public_id>/return/", decisions.return_incomplete, name="return"),
    path("hub/triage/<uuid:public_id>/decline/", decisions.decline, name="decline"),
    path(
        "hub/triage/<uuid:public_id>/people/<int:participant_id>/",
        referral.participant_decide,
        name="participant_decide",
    ),
    path(
        "hub/triage/<uuid:public_id>/people/<int:participant_id>/unlink/",
        referral.participant_unlink,
        name="participant_unlink",
    ),
    path("hub/people/<int:person_id>/", people.person_detail, name="person"),
    path(
        "hub/people/<int:person_id>/merge/<int:other_id>/",
        people.person_merge,
        name="person_merge",
    ),
    path("hub/people/merges/<int:merge_id>/undo/", people.person_unmerge, name="person_unmerge"),
    path("complex-cases/", complex_cases.complex_cases, name="complex_cases"),
    path("cases/<str:reference>/updates/", weekly_updates.weekly_updates, name="weekly_updates"),
    path(
        "cases/<str:reference>/updates/new/",
        weekly_updates.weekly_update_new,
        name="weekly_update_new",
    ),
]
