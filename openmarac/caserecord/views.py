"""The case record page and its PDF. The case is fetched through the scoping layer, so a case
the user may not see (restricted, conflicted, another agency's or area's) is a 404 as on every
other case page; every view and download is audited."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openmarac.accounts.stepup import recent_mfa_required
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import role_required, sees_cases
from openmarac.core.pdf import render_pdf

from .document import record_blocks
from .selectors import case_record_for


def _case(request: HttpRequest, reference: str, action: str) -> Case:
    return get_in_scope_or_404(
        request,
        cases_visible_to(request.user).select_related("area__policy"),
        action=action,
        reference=reference,
    )


@role_required(sees_cases)
def case_record(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "case.view")
    audit_record(action="case.view", request=request, obj=case)
    record = case_record_for(user=signed_in_user(request), case=case)
    return render(request, "caserecord/record.html", {"case": case, "record": record})


@role_required(sees_cases)
@recent_mfa_required
def case_record_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "case_record_pdf.download")
    user = signed_in_user(request)
    record = case_record_for(user=user, case=case)
    now = timezone.localtime()
    marking = (
        f"OFFICIAL-SENSITIVE. Downloaded by {user.get_full_name() or user.username} "
        f"({user.username}) on {now:%-d %B %Y at %H:%M}."
    )
    content = render_pdf(
        title=f"Case record {case.reference}", blocks=record_blocks(record), marking=marking
    )
    audit_record(action="case_record_pdf.download", request=request, obj=case)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
