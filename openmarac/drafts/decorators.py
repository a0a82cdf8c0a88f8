"""Marking the views of long forms whose text is kept if the session ends under them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V", bound=Callable[..., object])

KEEPS_DRAFTS = "keeps_drafts"


def keeps_drafts(view: V) -> V:
    """Mark a long form's view: a post to it that finds the session ended (or is refused) is
    kept as a draft by ``DraftsMiddleware``, and the view hands it back with
    ``form_draft_take`` when the person comes back to the page. ``functools.wraps`` copies the
    mark to every decorator around it."""
    setattr(view, KEEPS_DRAFTS, True)
    return view
