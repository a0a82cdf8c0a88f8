"""Scope checks stay in the database: the scoped querysets compose the user's scope as a
subquery, never as a Python list of ids sent back as ``IN (...)``, and no DISTINCT sorts a
whole scope (the pages' query counts are in ``test_page_queries``)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_page_queries import D, Rows, _research_rows, police

pytestmark = pytest.mark.django_db

LITERAL_ID_LIST = re.compile(r"IN \((?:\s*%s\s*,){5,}|IN \((?:\s*\d+\s*,){5,}")


def _sql(queryset) -> str:  # type: ignore[no-untyped-def]
    sql, _params = queryset.query.sql_with_params()
    return str(sql)


def test_scoped_reads_compose_the_scope_as_a_subquery_not_a_list_of_ids(cast):
    from openmarac.actions.selectors import actions_visible_to
    from openmarac.cases.selectors import cases_visible_to
    from openmarac.referrals.selectors import referrals_visible_to
    from openmarac.research.selectors import (
        entries_visible_to,
        listings_visible_to,
        meetings_visible_to,
        research_visible_to,
    )

    Rows(cast).cases(40)  # more visible cases than any literal list the test allows
    for user in (cast.coordinator, cast.police_rep):
        for queryset in (
            cases_visible_to(user),
            actions_visible_to(user),
            referrals_visible_to(user),
            research_visible_to(user),
            entries_visible_to(user),
            listings_visible_to(user),
            meetings_visible_to(user),
        ):
            sql = _sql(queryset)
            assert not LITERAL_ID_LIST.search(sql), sql
            assert "DISTINCT" not in sql.split("FROM")[0], sql


def _longest_literal_list(sql: str) -> int:
    lists = re.finditer(r"IN \((?:\s*(?:%s|\d+)\s*,)*\s*(?:%s|\d+)\s*\)", sql)
    return max((found.group(0).count(",") + 1 for found in lists), default=0)


def test_the_research_board_sends_no_list_of_visible_case_ids(cast):
    from openmarac.research.selectors import research_board

    rows = Rows(cast)
    meeting = rows.meeting(D(2026, 12, 9))
    _research_rows(rows, meeting, [police(cast)])(5)
    rows.cases(100)  # visible to the police, but not on this meeting
    with CaptureQueriesContext(connection) as captured:
        board = research_board(cast.police_rep, meeting, today=D(2026, 11, 23))
    assert len(board.rows) == 5
    # At most the board's own cases are named (to label them), never the user's whole scope.
    longest = max(_longest_literal_list(q["sql"]) for q in captured.captured_queries)
    assert longest <= 5, longest
