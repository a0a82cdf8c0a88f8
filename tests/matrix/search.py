"""Search: the page is for staff who see cases; a partnership lead (figures only) has none.

A GET shows the empty form; the search itself is a POST, tried against the same cast in
``tests/test_search_scope.py``, with the IDOR matrix's attackers.
"""

from __future__ import annotations

from .common import NO_ARGS, SIGN_IN, everyone

ROWS = {
    "search:results": (
        NO_ARGS,
        {**everyone(200), "lead": 404, "revoked": SIGN_IN, "anonymous": SIGN_IN},
    ),
}
