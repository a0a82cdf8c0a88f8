"""The online referral (for referrers who prove a work address), the hub's queue and approvals."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.accounts.ratelimit import rate_limit_per_ip
from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_approver, is_hub, role_required
from openmarac.drafts.decorators import keeps_drafts
from openmarac.drafts.services import form_draft_take
from openmarac.partnerships.models import Partnership

from . import sections as s
from . import services
from .forms.approval import ApprovalForm
from .forms.verification import CodeForm, EmailForm
from .models import Referral, ReferralStatus
from .selectors import referrals_of_referrer, referrals_visible_to
from .verification import TooManyCodes, verification_check_code, verification_send_code

View = Callable[..., HttpResponse]


def the_partnership() -> Partnership:
    partnership = Partnership.objects.order_by("pk").first()
    if partnership is None:
        raise Http404("This service has not been set up yet")
    return partnership


def referrer_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.session.get("referrer_email"):
            if request.method == "GET":
                # A link from an e-mail (a returned referral) leads back here once verified.
                request.session["referrer_next"] = request.get_full_path()
            return redirect("referrals:email")
        return view(request, *args, **kwargs)

    return wrapped


def own_referral(request: HttpRequest, public_id: Any) -> Referral:
    """The verified referrer's own referral; anything else is 404 and audited."""
    queryset: QuerySet[Referral] = referrals_of_referrer(request.session["referrer_email"])
    return get_in_scope_or_404(
        request,
        queryset.select_related("area__policy", "partnership"),
        action="referral.view",
        public_id=public_id,
    )


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/start.html", {"partnership": the_partnership()})


@rate_limit_per_ip("referral_email")
@require_http_methods(["GET", "POST"])
def email(request: HttpRequest) -> HttpResponse:
    partnership = the_partnership()
    form = EmailForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"]
        try:
            verification_send_code(email=address, request=request)
        except TooManyCodes:
            form.add_error(
                "email",
                "You have asked for too many codes. Wait an hour, then try again",
            )
        else:
            request.session["pending_referrer_email"] = address
            return redirect("referrals:code")
    return render(request, "referrals/email.html", {"form": form})


@rate_limit_per_ip("referral_code")
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get("pending_referrer_email")
    if not pending:
        return redirect("referrals:email")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = verification_check_code(
            email=pending, code=form.cleaned_data["code"], request=request
        )
        if result.ok:
            request.session.cycle_key()
            request.session.pop("pending_referrer_email", None)
            request.session["referrer_email"] = pending
            next_url = str(request.session.pop("referrer_next", ""))
            if next_url.startswith("/refer/r/") and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts=None
            ):
                return redirect(next_url)
            return redirect("referrals:mine")
        form.add_error("code", result.message)
    return render(request, "referrals/code.html", {"form": form})


@require_POST
def referrer_sign_out(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    response = redirect("referrals:start")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@referrer_required
def mine(request: HttpRequest) -> HttpResponse:
    referrals = referrals_of_referrer(request.session["referrer_email"]).select_related("area")
    return render(request, "referrals/mine.html", {"referrals": referrals})


@referrer_required
@require_POST
def new(request: HttpRequest) -> HttpResponse:
    referral = services.referral_start(
        partnership=the_partnership(), email=request.session["referrer_email"], request=request
    )
    return redirect("referrals:task_list", referral.public_id)


def _task_groups(referral: Referral) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for section in s.sections_for(referral):
        groups.setdefault(section.group, []).append(
            {
                "section": section,
                "complete": s.is_complete(referral, section),
                "available": s.is_available(referral, section),
                "url": reverse(
                    "referrals:list_section" if section.repeatable else "referrals:section",
                    args=[referral.public_id, section.slug],
                ),
            }
        )
    return [{"title": title, "tasks": tasks} for title, tasks in groups.items()]


@referrer_required
def task_list(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = own_referral(request, public_id)
    if referral.status not in services.EDITABLE:
        return redirect("referrals:submitted", referral.public_id)
    groups = _task_groups(referral)
    incomplete = s.incomplete_sections(referral)
    total = len([t for g in groups for t in g["tasks"] if not t["section"].optional])
    return render(
        request,
        "referrals/task_list.html",
        {
            "referral": referral,
            "groups": groups,
            "completed_count": total - len(incomplete),
            "total": total,
        },
    )


def _section_or_404(referral: Referral, slug: str, *, repeatable: bool) -> s.Section:
    section = s.BY_SLUG.get(slug)
    if (
        section is None
        or section.repeatable != repeatable
        or section not in s.sections_for(referral)
    ):
        raise Http404("Page not found")
    if not s.is_available(referral, section):
        raise Http404("Page not found")
    return section


def _next_url(referral: Referral, section: s.Section) -> str:
    if section.slug == "checklist":
        return reverse("referrals:section", args=[referral.public_id, "checklist-answers"])
    return reverse("referrals:task_list", args=[referral.public_id])


@keeps_drafts
@referrer_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, public_id: Any, slug: str) -> HttpResponse:
    referral = own_referral(request, public_id)
    if referral.status not in services.EDITABLE:
        return redirect("referrals:submitted", referral.public_id)
    sec = _section_or_404(referral, slug, repeatable=False)
    stored = referral.answers.get(sec.slug) or None
    if request.method == "POST":
        form = s.build_form(referral, sec, data=request.POST)
        if form.is_valid():
            services.referral_save_section(
                referral=referral, section=sec, data=form.cleaned_data, request=request
            )
            return redirect(_next_url(referral, sec))
    else:
        form = s.build_form(referral, sec, data=form_draft_take(request=request), initial=stored)
    return render(
        request, "referrals/section.html", {"referral": referral, "section": sec, "form": form}
    )


@referrer_required
@require_http_methods(["GET", "POST"])
def list_section(request: HttpRequest, public_id: Any, slug: str) -> HttpResponse:
    referral = own_referral(request, public_id)
    if referral.status not in services.EDITABLE:
        return redirect("referrals:submitted", referral.public_id)
    sec = _section_or_404(referral, slug, repeatable=True)
    stored = referral.answers.get(sec.slug, {})
    error = ""
    if request.method == "POST":
        try:
            services.referral_finish_list(referral=referral, section=sec, request=request)
        except services.ReferralError as exc:
            error = str(exc)
        else:
            return redirect("referrals:task_list", referral.public_id)
    items = [
        {"index": i, "rows": s.summarise(referral, sec, item)[:3]}
        for i, item in enumerate(stored.get("items", []))
    ]
    return render(
        request,
        "referrals/list_section.html",
        {"referral": referral, "section": sec, "items": items, "error": error},
        status=400 if error else 200,
    )


@keeps_drafts
@referrer_required
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, public_id: Any, slug: str, index: int | None = None) -> HttpResponse:
    referral = own_referral(request, public_id)
    if referral.status not in services.EDITABLE:
        return redirect("referrals:submitted", referral.public_id)
    sec = _section_or_404(referral, slug, repeatable=True)
    items = referral.answers.get(sec.slug, {}).get("items", [])
    if index is not None and not 0 <= index < len(items):
        raise Http404("Page not found")
    if index is None and len(items) >= sec.max_items:
        messages.error(request, f"You can add up to {sec.max_items} {sec.item_name}s")
        return redirect("referrals:list_section", referral.public_id, sec.slug)
    if request.method == "POST":
        form = s.build_form(referral, sec, data=request.POST)
        if form.is_valid():
            services.referral_save_item(
                referral=referral, section=sec, index=index, data=form.cleaned_data, request=request
            )
            return redirect("referrals:list_section", referral.public_id, sec.slug)
    else:
        form = s.build_form(
            referral,
            sec,
            data=form_draft_take(request=request),
            initial=items[index] if index is not None else None,
        )
    return render(
        request,
        "referrals/item.html",
        {"referral": referral, "section": sec, "form": form, "index": index},
    )


@referrer_required
@require_http_methods(["GET", "POST"])
def remove_item(request: HttpRequest, public_id: Any, slug: str, index: int) -> HttpResponse:
    referral = own_referral(request, public_id)
    if referral.status not in services.EDITABLE:
        return redirect("referrals:submitted", referral.public_id)
    sec = _section_or_404(referral, slug, repeatable=True)
    items = referral.answers.get(sec.slug, {}).get("items", [])
    if not 0 <= index < len(items):
        raise Http404("Page not found")
    if request.method == "POST":
        services.referral_remove_item(referral=referral, section=sec, index=index, request=request)
        return redirect("referrals:list_section", referral.public_id, sec.slug)
    rows = s.summarise(referral, sec, items[index])[:2]
    return render(
        request,
        "referrals/remove_item.html",
        {"referral": referral, "section": sec, "index": index, "rows": rows},
    )


def _summary(referral: Referral, *, editable: bool) -> list[dict[str, Any]]:
    out = []
    for sec in s.sections_for(referral):
        stored = referral.answers.get(sec.slug)
        if sec.repeatable:
            entries = [
                {
                    "rows": s.summarise(referral, sec, item),
                    "change": reverse("referrals:item", args=[referral.public_id, sec.slug, i])
                    if editable
                    else "",
                }
                for i, item in enumerate((stored or {}).get("items", []))
            ]
            out.append({"section": sec, "entries": entries, "repeatable": True})
        else:
            change = (
                reverse("referrals:section", args=[referral.public_id, sec.slug])
                if editable
                else ""
            )
            rows = s.summarise(referral, sec, stored or {}) if stored else []
            out.append({"section": sec, "rows": rows, "change": change, "repeatable": False})
    return out


@referrer_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = own_referral(request, public_id)
    if referral.status not in services.EDITABLE:
        return redirect("referrals:submitted", referral.public_id)
    incomplete = s.incomplete_sections(referral)
    results = services.referral_evaluation(referral)
    eligible = any(r.met for r in results)
    error = ""
    if request.method == "POST":
        try:
            services.referral_submit(referral=referral, request=request)
        except services.ReferralError as exc:
            error = str(exc)
        else:
            return redirect("referrals:submitted", referral.public_id)
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "summary": _summary(referral, editable=True),
            "incomplete": incomplete,
            "results": results,
            "eligible": eligible,
            "error": error,
            "signposting": referral.area.policy.signposting_text if referral.area else "",
            "needs_approval": bool(
                referral.area and referral.area.policy.approval_before_submission
            ),
        },
        status=400 if error else 200,
    )


@referrer_required
def submitted(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = own_referral(request, public_id)
    if referral.status in services.EDITABLE:
        return redirect("referrals:task_list", referral.public_id)
    decided = referral.status in (
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.LAPSED,
    )
    decision = referral.triage_decisions.order_by("-decided_at", "-pk").first() if decided else None
    return render(request, "referrals/submitted.html", {"referral": referral, "decision": decision})


# Signed-in users: the hub's queue and agency approvals.


@role_required(is_hub)
def hub_queue(request: HttpRequest) -> HttpResponse:
    """The triage queue replaced the plain referral queue; old links lead there."""
    return redirect("triage:queue")


def _acting_user(request: HttpRequest) -> User:
    """The signed-in user: the pages below all require one (``role_required``)."""
    return cast(User, request.user)


def _visible_referral(request: HttpRequest, public_id: Any) -> Referral:
    referral = get_in_scope_or_404(
        request,
        referrals_visible_to(_acting_user(request)).select_related(
            "area__policy", "referrer_agency", "checklist"
        ),
        action="referral.view",
        public_id=public_id,
    )
    audit_record(action="referral.view", request=request, obj=referral)
    return referral


@role_required(is_hub)
def hub_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Old links to a referral lead to its triage page, for a referral the coordinator may see.

    The scope is checked here too, so that a coordinator of another partnership is refused at
    the first step rather than sent on towards a referral that is not theirs.
    """
    referral = get_in_scope_or_404(
        request,
        referrals_visible_to(_acting_user(request)),
        action="referral.view",
        public_id=public_id,
    )
    return redirect("triage:referral", referral.public_id)


@role_required(is_approver)
def approval_list(request: HttpRequest) -> HttpResponse:
    referrals = referrals_visible_to(_acting_user(request)).filter(
        referrer_agency_id=request.user.agency_id,  # type: ignore[union-attr]
        status=ReferralStatus.AWAITING_APPROVAL,
    )
    return render(request, "referrals/approval_list.html", {"referrals": referrals})


@role_required(is_approver)
@require_http_methods(["GET", "POST"])
def approval_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = _visible_referral(request, public_id)
    form = ApprovalForm(request.POST or None)
    waiting = referral.status == ReferralStatus.AWAITING_APPROVAL
    if request.method == "POST" and waiting and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.referral_approve(
                    referral=referral,
                    approver=_acting_user(request),
                    note=form.cleaned_data["note"],
                    request=request,
                )
                messages.success(request, f"Referral {referral.reference} sent to the MARAC hub")
            else:
                services.referral_return_to_referrer(
                    referral=referral,
                    approver=_acting_user(request),
                    reason=form.cleaned_data["note"],
                    request=request,
                )
                messages.success(request, f"Referral {referral.reference} returned to the referrer")
        except (services.ReferralError, ValidationError) as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("referrals:approval_list")
    return render(
        request,
        "referrals/approval_detail.html",
        {
            "referral": referral,
            "summary": _summary(referral, editable=False),
            "results": services.referral_evaluation(referral),
            "form": form,
        },
    )
