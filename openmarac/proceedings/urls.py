from django.urls import path

from . import views

app_name = "proceedings"
M = "meetings/<int:meeting_id>/"
C = M + "run/cases/<int:listing_id>/"
urlpatterns = [
    path("meetings/proceedings/", views.index, name="index"),
    path(M + "run/", views.meeting, name="meeting"),
    path(M + "run/attendees/", views.attendee_add, name="attendee_add"),
    path(M + "run/apologies/", views.apology_add, name="apology_add"),
    path(
        M + "run/attendees/<int:attendee_id>/confirm/",
        views.attendee_confirm,
        name="attendee_confirm",
    ),
    path(M + "run/order/", views.order, name="order"),
    path(M + "run/open/", views.meeting_open, name="meeting_open"),
    path(M + "run/close/", views.meeting_close, name="meeting_close"),
    path(M + "conflicts/", views.conflict_add, name="conflict_add"),
    path(C, views.hearing, name="hearing"),
    path(C + "open/", views.hearing_open, name="hearing_open"),
    path(C + "information/", views.information_add, name="information_add"),
    path(C + "actions/", views.action_add, name="action_add"),
    path(C + "actions/<uuid:action_id>/agree/", views.action_agree, name="action_agree"),
    path(C + "outcome/", views.outcome, name="outcome"),
    path(M + "minutes/", views.minutes_view, name="minutes"),
    path(M + "minutes/outstanding/", views.minutes_notes, name="minutes_notes"),
    path(M + "minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path(M + "minutes/cases/<int:listing_id>/", views.minutes_section, name="minutes_section"),
    path(
        M + "minutes/cases/<int:listing_id>/approve/",
        views.minutes_section_approve,
        name="minutes_section_approve",
    ),
    path(M + "minutes/publish/", views.minutes_publish, name="minutes_publish"),
    path(M + "minutes/actions/", views.actions_publish, name="actions_publish"),
    path(M + "minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(M + "agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path(
        "minutes/information/<int:information_id>/correction/",
        views.correction_new,
        name="correction_new",
    ),
    path("minutes/corrections/<int:correction_id>/", views.correction, name="correction"),
]
