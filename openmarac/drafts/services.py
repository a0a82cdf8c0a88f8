"""Keeping and handing back form drafts (see ``models``). Every draft kept, handed back or
purged is audited, with counts only: never what was typed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.core import crypto

from .models import FormDraft

# Never kept: the CSRF token (the next page issues its own), and anything secret.
NOT_KEPT = frozenset({"csrfmiddlewaretoken", "password", "code", "token"})
# In the session of a signed-in person with a draft waiting (noted when they sign in, or when a
# refused post kept one): everyone else's pages ask nothing about drafts.
WAITING = "drafts_waiting"

RESTORED = (
    "You were signed out before this page was sent, so what you typed was kept. It has been "
    "put back below: check it and send the page again."
)


def _referrer_key(email: str) -> str:
    return crypto.blind_index(email.strip().lower(), purpose="form_draft_referrer")


def _kept_for() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.PURGE_FORM_DRAFT_HOURS)


def _owned(*, user: User | None, referrer_email: str) -> QuerySet[FormDraft]:
    if user is not None:
        return FormDraft.objects.filter(user=user)
    if referrer_email:
        return FormDraft.objects.filter(user=None, referrer_key=_referrer_key(referrer_email))
    return FormDraft.objects.none()


@transaction.atomic
def form_draft_save(
    *,
    user: User | None,
    referrer_email: str,
    path: str,
    data: QueryDict,
    request: HttpRequest | None,
) -> FormDraft | None:
    """Keep what ``user`` (or, signed out, the referrer ``referrer_email``) posted to ``path``,
    replacing an earlier draft of the same page. Nothing is kept for nobody, or for a post with
    nothing typed in it."""
    if user is None and not referrer_email:
        return None
    fields = {
        name: [str(value) for value in values]
        for name, values in data.lists()
        if name not in NOT_KEPT and any(str(value).strip() for value in values)
    }
    if not fields:
        return None
    _owned(user=user, referrer_email=referrer_email).filter(path=path).delete()
    draft = FormDraft.objects.create(
        user=user,
        referrer_key="" if user is not None else _referrer_key(referrer_email),
        path=path[:300],
        fields=fields,
    )
    if user is not None and request is not None and request.user.is_authenticated:
        request.session[WAITING] = True  # a refused post: the session goes on
    audit_record(
        action="draft.kept",
        request=request,
        actor=user,
        actor_label="" if user is not None else "referrer",
        obj=draft,
        detail={"fields": len(fields)},
    )
    return draft


def drafts_note_waiting(*, user: User, request: HttpRequest) -> None:
    """On signing in: note in the new session whether ``user`` left a draft to be handed back."""
    if FormDraft.objects.filter(user=user).exists():
        request.session[WAITING] = True


def form_draft_take(*, request: HttpRequest) -> QueryDict | None:
    """Hand back, once, the draft of this page that the person now signed in (or the verified
    referrer) left: as the form data it was posted with. The draft is deleted as it is handed
    back, and the page says that its text was put back. No draft: ``None``.

    A signed-in person's pages ask only while their session notes a draft waiting; a referrer's
    page asks with one plain query. Only a draft found is taken under a lock (so two tabs cannot
    both restore it)."""
    user = request.user if isinstance(request.user, User) else None
    if user is not None and not request.session.get(WAITING):
        return None
    referrer_email = "" if user is not None else str(request.session.get("referrer_email", ""))
    drafts = _owned(user=user, referrer_email=referrer_email).filter(
        path=request.path, created_at__gte=timezone.now() - _kept_for()
    )
    if not drafts.exists():
        return None
    with transaction.atomic():
        draft = drafts.select_for_update().order_by("-created_at").first()
        if draft is None:
            return None
        data = QueryDict(mutable=True)
        for name, values in dict(draft.fields).items():
            data.setlist(str(name), [str(value) for value in values])
        audit_record(
            action="draft.restored",
            request=request,
            actor_label="" if user is not None else "referrer",
            obj=draft,
            detail={"fields": len(data)},
        )
        draft.delete()
        if user is not None and not FormDraft.objects.filter(user=user).exists():
            request.session.pop(WAITING, None)
    messages.info(request, RESTORED)
    return data


@transaction.atomic
def form_drafts_purge(*, now: datetime.datetime) -> int:
    """Delete drafts older than ``PURGE_FORM_DRAFT_HOURS``: a draft nobody came back for."""
    count, _ = FormDraft.objects.filter(created_at__lt=now - _kept_for()).delete()
    if count:
        audit_record(
            action="retention.purge_form_drafts",
            actor_label="retention sweep",
            detail={"drafts": count, "older_than_hours": settings.PURGE_FORM_DRAFT_HOURS},
        )
    return count
