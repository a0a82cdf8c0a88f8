"""The return's downloads and the command, the hub's lists, the lead's home, the definitions kept
in docs/reporting.md, and query counts that do not grow with the data."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.cases.models import Case
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, Meeting
from openmarac.reports.definitions_doc import reporting_markdown
from openmarac.reports.facts import facts_refresh
from openmarac.reports.models import AreaPopulation
from tests.conftest import client_for
from tests.reports_scenario import at, build
from tests.triage_helpers import submit_referral

REPO = Path(__file__).resolve().parent.parent
NORTH_Q2 = {"area": "NK", "period": "2026Q2"}


def _xlsx(content: bytes) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _without_step_up(user: Any) -> Client:
    """Signed in, but with the second factor given an hour ago."""
    from openmarac.accounts.services import MFA_AT

    client = client_for(user)
    session = client.session
    session[MFA_AT] = int(session[MFA_AT]) - 3600
    session.save()
    return client


def test_docs_reporting_md_is_the_catalogue_written_out():
    assert (REPO / "docs" / "reporting.md").read_text(encoding="utf-8") == reporting_markdown(), (
        "run: OPENMARAC_ENV=test .venv/bin/python manage.py reporting_definitions"
    )


def test_the_return_downloads_as_xlsx_and_csv_after_a_second_factor_and_is_recorded(cast):
    build(cast)
    url = reverse("reports:return_download", kwargs={"fmt": "xlsx"})
    refused = _without_step_up(cast.lead).get(url, NORTH_Q2)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("accounts:confirm"))

    response = client_for(cast.lead).get(url, NORTH_Q2)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="safelives-return-nk-2026Q2.xlsx"'
    )
    assert response["Cache-Control"] == "no-store"
    sheets = _xlsx(response.content)
    assert set(sheets) == {
        "Return",
        "Research by agency",
        "Attendance by agency",
        "Actions by agency",
    }
    rows = {row[0]: row[3] for row in sheets["Return"] if row and row[0] and row[1]}
    assert rows["hearings"] == 2
    assert rows["referrals_received"] == 4
    assert rows["victims_male"] == "fewer than 5"
    assert rows["repeat_rate"] == 0
    assert sheets["Research by agency"][1:] == [
        ["Example Children's Services", 2, 0],
        ["Example Constabulary", 2, 2],
        ["Example Health Trust", 2, 0],
        ["Example IDVA Service", 2, 0],
    ]
    text = client_for(cast.lead).get(
        reverse("reports:return_download", kwargs={"fmt": "csv"}), NORTH_Q2
    )
    lines = {row[0]: row[3] for row in _csv(text.content) if len(row) == 4}
    assert lines["hearings"] == "2"
    assert lines["victims_female"] == "fewer than 5"
    downloads = AuditEvent.objects.filter(action="report_return.download", actor=cast.lead)
    assert [event.detail["format"] for event in downloads.order_by("pk")] == ["xlsx", "csv"]
    assert downloads.first().detail["areas"] == ["NK"]


def test_the_hubs_lists_carry_references_never_names_and_need_a_second_factor(cast):
    scenario = build(cast)
    hub = client_for(cast.coordinator)
    period = {"area": "NK", "period": "2026Q2"}
    log = hub.get(reverse("reports:export", kwargs={"kind": "referrals", "fmt": "xlsx"}), period)
    assert log.status_code == 200
    rows = _xlsx(log.content)["Referrals"]
    assert rows[1][:4] == ["Reference", "Received on", "Area", "Referring sector"]
    table = {row[0]: row[1:] for row in rows[2:]}
    r = scenario.referrals
    assert table == {
        r["r1"].reference: [
            "2026-04-20",
            "North Kent",
            "Police",
            "visible high risk",
            "Accepted",
            "2026-04-20",
            None,
            "no",
        ],
        r["r2"].reference: [
            "2026-04-21",
            "North Kent",
            "IDVA / domestic abuse service",
            "visible high risk",
            "Accepted",
            "2026-04-24",
            None,
            "no",
        ],
        r["r3"].reference: [
            "2026-04-22",
            "North Kent",
            "Police",
            "visible high risk",
            "Declined",
            "2026-04-22",
            "The MARAC referral criteria are not met",
            "no",
        ],
        r["r4"].reference: [
            "2026-04-23",
            "North Kent",
            "Housing",
            "visible high risk",
            "Lapsed: not completed in time",
            "2026-06-01",
            None,
            "no",
        ],
    }
    assert b"Scenarioone" not in log.content
    assert b"Una" not in log.content

    attendance = hub.get(
        reverse("reports:export", kwargs={"kind": "attendance", "fmt": "csv"}), period
    )
    assert _csv(attendance.content)[2:] == [
        [
            "North Kent",
            "2026-05-13",
            "Regular meeting",
            "Example Children's Services",
            "yes",
            "no",
            "yes",
            "yes",
        ],
        [
            "North Kent",
            "2026-05-13",
            "Regular meeting",
            "Example Constabulary",
            "yes",
            "yes",
            "no",
            "no",
        ],
        [
            "North Kent",
            "2026-05-13",
            "Regular meeting",
            "Example Health Trust",
            "yes",
            "no",
            "no",
            "no",
        ],
        [
            "North Kent",
            "2026-05-13",
            "Regular meeting",
            "Example IDVA Service",
            "yes",
            "yes",
            "no",
            "no",
        ],
    ]
    actions = hub.get(reverse("reports:export", kwargs={"kind": "actions", "fmt": "csv"}), period)
    tracker = _csv(actions.content)
    idva = [row for row in tracker[2:] if row[1] == scenario.cases["one"].reference]
    assert idva == [
        [
            "Example IDVA Service",
            scenario.cases["one"].reference,
            "North Kent",
            "2026-05-13",
            "",
            "2026-05-13",
            "2026-05-20",
            "yes",
            str((datetime.date(2026, 11, 23) - datetime.date(2026, 5, 20)).days),
            "no",
            "yes",
        ]
    ]
    events = AuditEvent.objects.filter(action="report_export.download", actor=cast.coordinator)
    assert [
        (e.detail["export"], e.detail["format"], e.detail["rows"]) for e in events.order_by("pk")
    ] == [
        ("referrals", "xlsx", 4),
        ("attendance", "csv", 4),
        ("actions", "csv", len(tracker) - 2),
    ]
    url = reverse("reports:export", kwargs={"kind": "referrals", "fmt": "csv"})
    assert _without_step_up(cast.coordinator).get(url).status_code == 302
    assert client_for(cast.lead).get(url).status_code == 404
    assert client_for(cast.chair).get(url).status_code == 404


def test_a_formula_in_an_agency_name_stays_text(cast):
    from openmarac.reports.exports import Sheet, to_csv, to_xlsx

    sheet = Sheet(title="T", header=["Agency", "Count"], rows=[["=HYPERLINK(1)", 3]])
    assert _csv(to_csv([sheet]))[1] == ["'=HYPERLINK(1)", "3"]
    assert _xlsx(to_xlsx([sheet]))["T"][1] == ["=HYPERLINK(1)", 3]


def test_the_command_writes_the_return_as_json_csv_and_xlsx(cast, tmp_path):
    build(cast)
    AreaPopulation.objects.create(area=cast.area_a, women_16_plus=50_000, source="Census 2021")
    out = tmp_path / "nk.json"
    call_command(
        "safelives_return",
        "--area",
        "NK",
        "--quarter",
        "2026Q2",
        "--format",
        "json",
        "--output",
        str(out),
    )
    document = json.loads(out.read_text())
    assert document["about"]["areas"] == ["NK"]
    assert document["about"]["from"] == "2026-04-01"
    assert document["hearings"] == 2
    assert document["cases_per_10000_women"] == 1.6
    assert document["victims_lgbt"] == "fewer than 5"
    assert document["attendance_by_agency"][1]["agency"] == "Example Constabulary"
    call_command(
        "safelives_return",
        "--all",
        "--from",
        "2026-07-01",
        "--to",
        "2026-09-30",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "all.xlsx"),
    )
    rows = {
        row[0]: row[3]
        for row in _xlsx((tmp_path / "all.xlsx").read_bytes())["Return"]
        if row and row[1]
    }
    assert rows["hearings"] == 3
    call_command(
        "safelives_return",
        "--area",
        "wk",
        "--year",
        "2026",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "wk.csv"),
    )
    assert ["hearings", "Cases heard (counting each hearing)", "Cases heard", "1"] in _csv(
        (tmp_path / "wk.csv").read_bytes()
    )
    assert AuditEvent.objects.filter(action="report_return.export").count() == 3
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a quarter"):
        call_command("safelives_return", "--all", "--quarter", "2026Q5", "--output", str(out))
    with pytest.raises(CommandError, match="No area"):
        call_command("safelives_return", "--area", "XX", "--year", "2026", "--output", str(out))


def test_the_leads_home_is_the_dashboard_and_no_case_opens_for_them(cast):
    lead = client_for(cast.lead)
    home = lead.get("/")
    assert home.status_code == 302
    assert home["Location"] == reverse("reports:dashboard")
    page = lead.get(home["Location"])
    assert page.status_code == 200
    # The lead's menu holds the reports, marked as the page they are on.
    assert b'href="/reports/" aria-current="page">' in page.content
    assert (
        lead.get(
            reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
        ).status_code
        == 404
    )
    assert lead.get(reverse("cases:list")).status_code == 404
    assert client_for(cast.coordinator).get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action="report.view", actor=cast.lead, detail__page="dashboard"
    ).exists()


def _grow(cast: Any, count: int) -> None:
    """``count`` referrals reaching the hub in October 2026, and as many cases heard then."""
    meeting = Meeting.objects.create(
        area=cast.area_a,
        starts_on=datetime.date(2026, 10, 14),
        ends_on=datetime.date(2026, 10, 14),
        start_time=datetime.time(10),
        status="held",
    )
    import time_machine

    with time_machine.travel(at("2026-10-05"), tick=False):
        for n in range(count):
            submit_referral(
                cast.area_a, victim=(f"Grow{n}", "Scaletest"), agency=cast.police_rep.agency
            )
            case = Case.objects.create(
                partnership=cast.partnership, area=cast.area_a, reference=f"NK-GROW-{count}-{n}"
            )
            Listing.objects.create(
                meeting=meeting,
                case=case,
                reason=ListingReason.NEW,
                status=ListingStatus.HEARD,
                listed_at=at("2026-10-05"),
            )


@pytest.mark.parametrize(
    "name", ["reports:dashboard", "reports:safelives_return", "reports:steering"]
)
def test_a_page_asks_as_many_questions_of_3_cases_as_of_30(cast, name):
    counts = []
    client = client_for(cast.lead)
    client.get(reverse(name))  # the first visit makes the partnership's reporting settings
    for size in (3, 30):
        _grow(cast, size - (3 if size == 30 else 0))
        facts_refresh()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), {"area": "NK", "period": "2026Q4"})
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
