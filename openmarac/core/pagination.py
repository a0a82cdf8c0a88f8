"""One way to page a long list: GOV.UK pagination, 50 rows a page. The page number comes from
the page's query form (``PageQuery`` or a form built on it), and the links to other pages carry
that form's other choices (the page's filters), never the raw query string."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.core.paginator import Page, Paginator

from .forms import QueryForm

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

PAGE_SIZE = 50
LAST_PAGE_ASKED = 100_000

RowT = TypeVar("RowT")


class PageQuery(QueryForm):
    """``?page=N``: which page of a list. A list page's own query form builds on this one."""

    page = forms.IntegerField(
        required=False,
        initial=1,
        min_value=1,
        max_value=LAST_PAGE_ASKED,
        widget=forms.HiddenInput(),
    )


def paginate(
    rows: _SupportsPagination[RowT], *, page: int | None, per_page: int = PAGE_SIZE
) -> Page[RowT]:
    """Page ``page`` of ``rows`` (the first when none is asked for, the last when it is past
    the end). A queryset is counted and sliced in the database: only one page is loaded."""
    return Paginator(rows, per_page).get_page(page or 1)
