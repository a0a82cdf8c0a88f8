from django.urls import path

from .views import attendance, conduct, conflicts, corrections, hearings, minutes, pdfs

app_name = "proceedings"
M = "meetings/<int:meeting_id>/"
C = M + "run/cases/<int:listing_id>/"
urlpatterns = [
    path("meetings/proceedings/", conduct.index, name="index"),
    path(M + "run/", conduct.meeting, name="meeting"),
    path(M + "run/attendees/", attendance.attendee_add, name="attendee_add"),
    path(M + "run/apologies/", attendance.apology_add, name="apology_add"),
    path(
        M + "run/attendees/<int:attendee_id>/confirm/",
        attendance.attendee_confirm,
        name="attendee_confirm",
    ),
    path(M + "run/order/", conduct.order, name="order"),
    path(M + "run/open/", conduct.meeting_open, name="meeting_open"),
    path(M + "run/open/early/", conduct.meeting_open_early, name="meeting_open_early"),
    path(M + "run/close/", conduct.meeting_close, name="meeting_close"),
    path(M + "conflicts/", conflicts.conflict_add, name="conflict_add"),
    path(C, hearings.hearing, name="hearing"),
    path(C + "open/", hearings.hearing_open, name="hearing_open"),
    path(C + "information/", hearings.information_add, name="information_add"),
    path(C + "actions/", hearings.action_add, name="action_add"),
    path(C + "actions/<uuid:action_id>/agree/", hearings.action_agree, name="action_agree"),
    path(C + "outcome/", hearings.outcome, name="outcome"),
    path(M + "minutes/", minutes.minutes_view, name="minutes"),
    path(M + "minutes/outstanding/", minutes.minutes_notes, name="minutes_notes"),
    path(M + "minutes/approve/", minutes.minutes_approve, name="minutes_approve"),
    path(M + "minutes/cases/<int:listing_id>/", minutes.minutes_section, name="minutes_section"),
    path(
        M + "minutes/cases/<int:listing_id>/approve/",
        minutes.minutes_section_approve,
        name="minutes_section_approve",
    ),
    path(M + "minutes/publish/", minutes.minutes_publish, name="minutes_publish"),
    path(M + "minutes/actions/", minutes.actions_publish, name="actions_publish"),
    path(M + "minutes.pdf", pdfs.minutes_pdf, name="minutes_pdf"),
    path(M + "agenda.pdf", pdfs.agenda_pdf, name="agenda_pdf"),
    path(
        "minutes/information/<int:information_id>/correction/",
        corrections.correction_new,
        name="correction_new",
    ),
    path("minutes/corrections/<int:correction_id>/", corrections.correction, name="correction"),
]
