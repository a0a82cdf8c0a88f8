"""The search page. Terms arrive only in a POST body, never in a URL, and are audited by kind."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.core.access import signed_in_user
from openmarac.core.decorators import role_required, sees_cases

from .forms import SearchForm
from .selectors import search_run


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """GET shows an empty form; POST searches. A query string is never read: it would put names
    and dates of birth in addresses, browser history and server logs."""
    form = SearchForm(request.POST) if request.method == "POST" else SearchForm()
    results = None
    carried: list[tuple[str, str]] = []
    if form.is_bound and form.is_valid():
        results = search_run(
            signed_in_user(request), terms=form.terms(), page_number=form.page_number()
        )
        carried = form.carried()
        # That a search happened, of what kind and how many results: never what was typed.
        audit_record(
            action="search.run",
            request=request,
            detail={
                "kind": results.kind,
                "results": results.total,
                "page": results.page.number if results.page is not None else 1,
            },
        )
    response = render(
        request, "search/results.html", {"form": form, "results": results, "carried": carried}
    )
    add_never_cache_headers(response)
    return response
