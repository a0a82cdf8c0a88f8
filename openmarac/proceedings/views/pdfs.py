"""The agenda and the minutes as PDFs, marked with who downloaded them and when. Each
download needs a recent second factor and is audited."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from openmarac.accounts.stepup import recent_mfa_required
from openmarac.audit.services import audit_record
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import role_required, sees_cases
from openmarac.core.pdf import render_pdf
from openmarac.meetings.models import Meeting

from .. import documents
from ..selectors import meetings_run_by
from .access import acting_user, partnership_id_of
from .minutes import minutes_meeting


def _marking(request: HttpRequest) -> str:
    user = acting_user(request)
    now = timezone.localtime()
    return (
        f"OFFICIAL-SENSITIVE. Downloaded by {user.get_full_name() or user.username} "
        f"({user.username}) on {now:%-d %B %Y at %H:%M}."
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(sees_cases)
@recent_mfa_required
def agenda_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = acting_user(request)
    runs = meetings_run_by(user).filter(pk=meeting_id).exists()
    scope = Meeting.objects.filter(area__partnership_id=partnership_id_of(user))
    if not runs:
        scope = scope.filter(
            agenda_published_at__isnull=False,
            listings__case__in=cases_visible_to(user),
        ).distinct()
    meeting = get_in_scope_or_404(
        request, scope.select_related("area__policy"), action="agenda_pdf.download", pk=meeting_id
    )
    blocks = documents.agenda_blocks(meeting, user)
    content = render_pdf(
        title=f"{meeting.area.name} MARAC agenda, {meeting.starts_on:%-d %B %Y}",
        blocks=blocks,
        marking=_marking(request),
    )
    audit_record(action="agenda_pdf.download", request=request, obj=meeting)
    return _pdf_response(content, f"agenda-{meeting.pk}.pdf")


@role_required(sees_cases)
@recent_mfa_required
def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, access = minutes_meeting(request, meeting_id)
    user = acting_user(request)
    document = documents.minutes_document(meeting, user, access)
    content = render_pdf(
        title=f"{meeting.area.name} MARAC minutes, {meeting.starts_on:%-d %B %Y}",
        blocks=documents.minutes_blocks(document),
        marking=_marking(request),
    )
    audit_record(
        action="minutes_pdf.download",
        request=request,
        obj=meeting,
        detail={"cases": len(document.cases), "full": access.full},
    )
    return _pdf_response(content, f"minutes-{meeting.pk}.pdf")
