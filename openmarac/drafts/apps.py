from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "openmarac.drafts"
    label = "drafts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_note_waiting, dispatch_uid="drafts.note_waiting")


def _note_waiting(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Signing in: note whether the person left a draft (see ``services.WAITING``)."""
    from .services import drafts_note_waiting

    if request is not None:
        drafts_note_waiting(user=user, request=request)
