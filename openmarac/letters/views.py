"""The hub's letter templates, a case's letters, and each letter as a PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmarac.accounts.models import User
from openmarac.accounts.stepup import recent_mfa_required
from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_or_archived_to
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required
from openmarac.core.pdf import render_pdf

from . import services
from .forms import HousingForm, LegalAidForm, TemplateForm
from .models import Letter, LetterKind


def _partnership(request: HttpRequest) -> Any:
    user = request.user
    assert isinstance(user, User)
    assert user.agency is not None
    return user.agency.partnership


def _kind(kind: str) -> str:
    if kind not in LetterKind.values:
        raise Http404("Page not found")
    return kind


@role_required(is_hub)
def templates(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    audit_record(action="letter_template.list_viewed", request=request)
    rows = [(kind, services.template_for(partnership, kind)) for kind in LetterKind.values]
    return render(request, "letters/templates.html", {"rows": rows})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    partnership = _partnership(request)
    template = services.template_for(partnership, kind)
    form = TemplateForm(request.POST or None, initial={"body": template.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(
                partnership=partnership,
                kind=kind,
                body=form.cleaned_data["body"],
                actor=signed_in_user(request),
                request=request,
            )
        except services.LetterError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, f"{LetterKind(kind).label} template saved")
            return redirect("letters:templates")
    return render(
        request,
        "letters/template_edit.html",
        {"form": form, "kind": LetterKind(kind), "placeholders": services.PLACEHOLDERS.items()},
        status=400 if form.errors else 200,
    )


def _case(request: HttpRequest, reference: str, action: str) -> Case:
    return get_in_scope_or_404(
        request,
        cases_visible_or_archived_to(request.user).select_related("area"),
        action=action,
        reference=reference,
    )


@role_required(is_hub)
def case_letters(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "letter.list")
    audit_record(action="letter.list_viewed", request=request, obj=case)
    first, _last = services.heard_on(case)
    return render(
        request,
        "letters/case.html",
        {
            "case": case,
            "letters": case.letters.select_related("written_by", "recipient_agency"),
            "heard": first is not None,
        },
    )


def _agencies(case: Case) -> list[Agency]:
    return list(
        Agency.objects.filter(
            partnership_id=case.partnership_id, is_hub=False, withdrawn_on__isnull=True
        ).order_by("name")
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def letter_new(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    kind = _kind(kind)
    case = _case(request, reference, "letter.write")
    housing = kind == LetterKind.HOUSING_SUPPORT
    form: Any = (
        HousingForm(request.POST or None, agencies=_agencies(case))
        if housing
        else LegalAidForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_write(
                case=case,
                kind=kind,
                recipient=form.cleaned_data["recipient"],
                agency=form.agency if housing else None,
                actor=signed_in_user(request),
                request=request,
            )
        except services.LetterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{LetterKind(kind).label} written and logged against the case"
            )
            return redirect("letters:case", reference=case.reference)
    return render(
        request,
        "letters/new.html",
        {"case": case, "form": form, "kind": LetterKind(kind)},
        status=400 if form.errors else 200,
    )


@role_required(is_hub)
@recent_mfa_required
def letter_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    letter = get_in_scope_or_404(
        request,
        Letter.objects.filter(
            case__in=cases_visible_or_archived_to(request.user).values("pk")
        ).select_related("case"),
        action="letter.pdf",
        public_id=public_id,
    )
    user = request.user
    assert isinstance(user, User)
    marking = (
        f"OFFICIAL-SENSITIVE. Letter on MARAC case {letter.case.reference}, produced by "
        f"{user.get_full_name() or user.username} on {timezone.localtime():%-d %B %Y at %H:%M}."
    )
    content = render_pdf(
        title=letter.get_kind_display(),
        blocks=[("p", paragraph) for paragraph in letter.body.split("\n\n")],
        marking=marking,
    )
    audit_record(
        action="letter.pdf_download", request=request, obj=letter.case, detail={"letter": letter.pk}
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
