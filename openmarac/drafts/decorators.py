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


def keeps_drafts_for(page: str) -> Callable[[V], V]:
    """As ``keeps_drafts``, for a view that only takes posts from a form shown on another page:
    ``page`` is that page's URL name, reversed with the same URL arguments. The draft is kept
    for that page, the person is brought back to it, and its view hands the draft back."""

    def mark(view: V) -> V:
        setattr(view, KEEPS_DRAFTS, page)
        return view

    return mark
