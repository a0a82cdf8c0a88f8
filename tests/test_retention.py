"""Retention rules from the seeds, walked on a frozen clock from closure to disposal, with the
legal hold, the two-person rule, the before-disposal hook and re-application after a restore."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openmarac.agencies.models import Agency, Sector
from openmarac.audit.models import AuditEvent
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.cases.selectors import cases_visible_to
from openmarac.core import hooks
from openmarac.jobs.services import run_sweep
from openmarac.partnerships.models import RetentionGroup, RetentionReviewer
from openmarac.partnerships.services import partnership_create_from_preset
from openmarac.people.models import Person, PersonAddress, PersonKey
from openmarac.people.services import person_merge
from openmarac.retention import decisions
from openmarac.retention.models import CaseRetention, DisposalCertificate, RetentionState
from openmarac.retention.register import register_entries
from openmarac.retention.services import retention_archive_due, retention_mark_due

from .conftest import TEST_NOW, make_user
from .retention_helpers import closed_case

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
D = datetime.date


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def sweep_on(day: datetime.date) -> None:
    """The retention steps of the daily sweep, run on ``day`` with the clock there."""
    with time_machine.travel(at(day, 6), tick=False):
        decisions.disposals_reapply(now=at(day, 6))
        retention_archive_due(now=at(day, 6))
        retention_mark_due(now=at(day, 6))


def state_of(case: Case) -> CaseRetention | None:
    return CaseRetention.objects.filter(case_id=case.pk).first()


class World:
    """A partnership from a preset, with two hub coordinators and an information governance
    lead who hold what a working account needs (a licence, a second factor)."""

    def __init__(self, preset: str, area_code: str | None = None) -> None:
        tag = preset.replace("-", "")[:10]
        self.partnership = partnership_create_from_preset(
            preset=preset, official_email_domains=["example.org"], hub_email="hub@example.org"
        )
        areas = self.partnership.areas.order_by("code")
        self.area = areas.get(code=area_code) if area_code else areas.first()
        hub = Agency.objects.create(
            partnership=self.partnership, name="Hub", sector=Sector.OTHER, is_hub=True
        )
        self.first = make_user(f"{tag}_one", agency=hub, is_hub_coordinator=True)
        self.second = make_user(f"{tag}_two", agency=hub, is_hub_coordinator=True)
        self.governance = make_user(f"{tag}_ig", agency=hub, is_information_governance=True)

    def dispose(self, case: Case) -> DisposalCertificate:
        retention = state_of(case)
        assert retention is not None
        with time_machine.travel(at(retention.review_on, 14), tick=False):
            retention = decisions.retention_recommend(retention=retention, actor=self.first)
            return decisions.case_dispose(retention=retention, actor=self.second)


ADULTS = {
    "victim": (ParticipantRole.VICTIM, "Rowena", "Ashcombe", D(1990, 4, 1)),
    "perpetrator": (ParticipantRole.PERPETRATOR, "Dorian", "Ashcombe", D(1988, 6, 2)),
}
WITH_CHILD = {
    "victim": (ParticipantRole.VICTIM, "Imelda", "Brackwater", D(1985, 3, 3)),
    "perpetrator": (ParticipantRole.PERPETRATOR, "Osric", "Brackwater", D(1983, 7, 7)),
    "child": (ParticipantRole.CHILD, "Tamsin", "Brackwater", D(2015, 9, 9)),
}
CLOSED = at(D(2026, 11, 23), 9)


def gone(*people: Person) -> bool:
    return not Person.objects.filter(pk__in=[p.pk for p in people]).exists()


# --- The presets say what the seeds say ----------------------------------------------------------


def test_kent_follows_the_mopi_groups_of_000_section_1_5():
    world = World("kent-medway", "NK")
    groups = {g.code: g for g in RetentionGroup.objects.filter(area=world.area)}
    assert set(groups) == {"1", "2", "3"}
    one = groups["1"]
    # Group 1 is "until the subject has reached 100 years", reviewed every 10 years: not 10 years.
    assert (one.runs_from, one.years_adult, one.years_child, one.review_every_years) == (
        "date_of_birth",
        100,
        100,
        10,
    )
    assert one.is_default
    assert one.summary == "until the youngest subject is 100, reviewed every 10 years"
    assert (groups["2"].years_adult, groups["2"].review_every_years) == (10, 10)
    assert (groups["3"].years_adult, groups["3"].review_every_years) == (6, 5)


@pytest.mark.parametrize(
    ("preset", "runs_from", "adult", "child"),
    [
        ("lincolnshire", "closure", 25, 75),  # 002 §22
        ("cambridgeshire-peterborough", "last_referral", 7, 7),  # 003 "Secure Storage of Data"
        ("gwent", "closure", 7, 7),  # not stated: the common default, said in the notes
        ("kent-police-guide", "closure", 7, 7),  # not stated either
    ],
)
def test_each_preset_sets_its_protocols_retention_rule(preset, runs_from, adult, child):
    world = World(preset)
    for area in world.partnership.areas.all():
        (group,) = RetentionGroup.objects.filter(area=area)
        assert (group.runs_from, group.years_adult, group.years_child) == (runs_from, adult, child)
        assert group.is_default
        assert group.review_every_years is None


# --- Walking each preset from closure to disposal --------------------------------------------


def test_lincolnshire_keeps_adults_25_years_and_children_75_from_closure_then_destroys():
    world = World("lincolnshire")
    adult, adults = closed_case(world.area, "LINC-ADULT", closed_at=CLOSED, people=ADULTS)
    family, children = closed_case(world.area, "LINC-CHILD", closed_at=CLOSED, people=WITH_CHILD)
    assert world.area.policy.archive_after_days == 30

    sweep_on(D(2026, 12, 22))  # 29 days after closure: still a live (closed) case
    adult.refresh_from_db()
    assert adult.archived_at is None
    assert state_of(adult) is None
    assert cases_visible_to(world.first).filter(pk=adult.pk).exists()

    sweep_on(D(2026, 12, 23))  # archived: out of every list, its review scheduled
    adult.refresh_from_db()
    assert adult.archived_at is not None
    assert not cases_visible_to(world.first).filter(pk=adult.pk).exists()
    assert state_of(adult).review_on == D(2051, 11, 23)
    assert state_of(family).review_on == D(2101, 11, 23)

    sweep_on(D(2051, 11, 22))
    assert state_of(adult).state == RetentionState.SCHEDULED
    sweep_on(D(2051, 11, 23))
    assert state_of(adult).state == RetentionState.DUE
    assert state_of(family).state == RetentionState.SCHEDULED

    certificate = world.dispose(adult)
    assert not Case.objects.filter(pk=adult.pk).exists()
    assert gone(*adults.values())
    assert certificate.rule.startswith("Adults 25 years, children 75 years from closure")
    assert certificate.retention_ended_on == D(2051, 11, 23)
    assert Case.objects.filter(pk=family.pk).exists()  # the children's figure still runs

    sweep_on(D(2101, 11, 23))
    world.dispose(family)
    assert gone(*children.values())
    assert not Case.objects.filter(reference__startswith="LINC-").exists()


def test_cambridgeshire_keeps_7_years_from_the_last_referral():
    world = World("cambridgeshire-peterborough", "CAM")
    case, people = closed_case(
        world.area,
        "CAM-SEVEN",
        closed_at=CLOSED,
        people=ADULTS,
        referred_at=at(D(2025, 10, 1)),
    )
    sweep_on(D(2026, 12, 23))
    assert state_of(case).review_on == D(2032, 10, 1)  # not from closure (2033)
    sweep_on(D(2032, 9, 30))
    assert state_of(case).state == RetentionState.SCHEDULED
    sweep_on(D(2032, 10, 1))
    assert state_of(case).state == RetentionState.DUE
    world.dispose(case)
    assert gone(*people.values())


@pytest.mark.parametrize("preset", ["gwent", "kent-police-guide"])
def test_protocols_silent_on_retention_keep_7_years_after_closure(preset):
    world = World(preset)
    case, people = closed_case(
        world.area, f"{world.area.code}-SILENT", closed_at=CLOSED, people=ADULTS
    )
    sweep_on(D(2026, 12, 23))
    assert state_of(case).review_on == D(2033, 11, 23)
    sweep_on(D(2033, 11, 23))
    assert state_of(case).state == RetentionState.DUE
    world.dispose(case)
    assert gone(*people.values())


def test_kent_group_1_is_reviewed_every_10_years_and_kept_until_the_youngest_is_100():
    world = World("kent-medway", "NK")
    # The youngest subject, the child, was born on 9 September 2015: 100 in 2115.
    case, people = closed_case(world.area, "NK-MOPI-1", closed_at=CLOSED, people=WITH_CHILD)
    sweep_on(D(2026, 12, 23))
    retention = state_of(case)
    assert (retention.group_code, retention.review_on) == ("1", D(2036, 11, 23))
    assert retention.ends_on is None  # derived from a date of birth: never stored in clear

    reviews = []
    day = retention.review_on
    while True:
        sweep_on(day)
        retention = state_of(case)
        assert retention.state == RetentionState.DUE
        reviews.append(day)
        with time_machine.travel(at(day, 14), tick=False):
            if day < D(2115, 9, 9):
                with pytest.raises(decisions.RetentionError, match="has not ended"):
                    decisions.retention_recommend(retention=retention, actor=world.first)
                following = D(day.year + 10, day.month, day.day)
                decisions.retention_extend(
                    retention=retention,
                    actor=world.first,
                    until=following,
                    reason="still_needed",
                    detail="MoPI group 1: periodic review",
                )
                day = following
                continue
            retention = decisions.retention_recommend(retention=retention, actor=world.first)
            decisions.case_dispose(retention=retention, actor=world.second)
            break
    assert reviews == [D(year, 11, 23) for year in range(2036, 2117, 10)]
    assert gone(*people.values())
    certificate = DisposalCertificate.objects.get(case_reference="NK-MOPI-1")
    assert certificate.retention_ended_on is None  # would give the child's birth date away
    assert certificate.group_code == "1"


def test_kent_group_2_runs_10_years_from_the_last_referral_and_group_3_six():
    world = World("kent-medway", "NK")
    two, _ = closed_case(
        world.area, "NK-MOPI-2", closed_at=CLOSED, people=ADULTS, referred_at=at(D(2026, 1, 5))
    )
    sweep_on(D(2026, 12, 23))
    retention = state_of(two)
    with time_machine.travel(at(D(2026, 12, 23), 14), tick=False):
        decisions.retention_change_group(
            retention=retention, actor=world.governance, group_code="2", detail="Other violent"
        )
    retention = state_of(two)
    assert (retention.group_code, retention.review_on, retention.ends_on) == (
        "2",
        D(2036, 1, 5),
        D(2036, 1, 5),
    )
    with time_machine.travel(at(D(2026, 12, 24), 14), tick=False):
        decisions.retention_change_group(
            retention=retention, actor=world.governance, group_code="3", detail="Acquisitive"
        )
    # Group 3: reviewed 5 years after closure, then at the end of its 6 years.
    assert state_of(two).review_on == D(2031, 11, 23)
    assert state_of(two).ends_on == D(2032, 1, 5)


# --- Legal hold, the two-person rule, the hook -------------------------------------------------


@pytest.fixture
def due(cast):
    """A North Kent case closed in 2015, in MoPI group 3 (six years), due for review today."""
    RetentionGroup.objects.filter(area=cast.area_a).update(is_default=False)
    RetentionGroup.objects.filter(area=cast.area_a, code="3").update(is_default=True)
    case, people = closed_case(
        cast.area_a,
        "NK-2015-OLD01",
        closed_at=at(D(2015, 1, 10)),
        people=ADULTS,
        referred_at=at(D(2014, 6, 1)),
    )
    retention_archive_due(now=TEST_NOW)
    retention_mark_due(now=TEST_NOW)
    case.people = people
    return case


@pytest.fixture
def manager(cast):
    from openmarac.accounts.models import User

    return User.objects.get(username="manager")


@pytest.fixture
def governance(cast):
    from openmarac.accounts.models import User

    return User.objects.get(username="governance")


def test_a_case_past_its_period_is_due_at_once_when_archived(due):
    assert state_of(due).state == RetentionState.DUE


def test_disposal_needs_a_second_person(cast, due, manager):
    retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
    with pytest.raises(decisions.RetentionError, match="second person"):
        decisions.case_dispose(retention=retention, actor=cast.coordinator)
    assert Case.objects.filter(pk=due.pk).exists()
    certificate = decisions.case_dispose(retention=retention, actor=manager)
    assert certificate.recommended_by == cast.coordinator
    assert certificate.approved_by == manager
    assert not Case.objects.filter(pk=due.pk).exists()


def test_only_the_areas_named_reviewer_recommends_and_only_reviewers_approve(
    cast, due, manager, governance
):
    policy = cast.area_a.policy
    policy.retention_reviewer = RetentionReviewer.INFORMATION_GOVERNANCE
    policy.save()
    with pytest.raises(decisions.RetentionError, match="information governance"):
        decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
    retention = decisions.retention_recommend(retention=state_of(due), actor=governance)
    with pytest.raises(decisions.RetentionError, match="Only the hub team"):
        decisions.case_dispose(retention=retention, actor=cast.chair)
    decisions.case_dispose(retention=retention, actor=manager)
    assert not Case.objects.filter(pk=due.pk).exists()


def test_a_legal_hold_keeps_the_case_until_lifted(cast, due, manager):
    retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
    retention = decisions.retention_hold(
        retention=retention, actor=manager, reason="court", detail="Family court, listed in March"
    )
    assert retention.state == RetentionState.DUE  # the recommendation is withdrawn
    with pytest.raises(decisions.RetentionError, match="on hold"):
        decisions.retention_recommend(retention=retention, actor=cast.coordinator)
    with pytest.raises(decisions.RetentionError):
        decisions.case_dispose(retention=retention, actor=manager)
    # Years later the hold is still there and the sweep leaves the case alone.
    sweep_on(D(2040, 1, 1))
    assert state_of(due).is_held
    assert Case.objects.filter(pk=due.pk).exists()
    with time_machine.travel(at(D(2040, 1, 2)), tick=False):
        retention = decisions.retention_lift_hold(
            retention=state_of(due), actor=manager, detail="Proceedings concluded"
        )
        retention = decisions.retention_recommend(retention=retention, actor=cast.coordinator)
        decisions.case_dispose(retention=retention, actor=manager)
    assert not Case.objects.filter(pk=due.pk).exists()


def test_extending_sets_the_next_review_and_the_sweep_brings_it_back(cast, due):
    decisions.retention_extend(
        retention=state_of(due),
        actor=cast.coordinator,
        until=D(2027, 6, 1),
        reason="dardr",
        detail="Review in progress",
    )
    assert state_of(due).state == RetentionState.SCHEDULED
    sweep_on(D(2027, 5, 31))
    assert state_of(due).state == RetentionState.SCHEDULED
    sweep_on(D(2027, 6, 1))
    assert state_of(due).state == RetentionState.DUE
    with pytest.raises(decisions.RetentionError, match="after today"):
        decisions.retention_extend(
            retention=state_of(due), actor=cast.coordinator, until=D(2026, 1, 1), reason="court"
        )


def test_a_registered_hook_runs_before_any_row_goes(cast, due, manager):
    seen = []

    def keep_counts(case):
        # Inside the disposal transaction, with every row still there.
        seen.append(
            (
                case.reference,
                CaseParticipant.objects.filter(case=case).count(),
                Person.objects.filter(pk__in=[p.pk for p in due.people.values()]).count(),
            )
        )

    hooks.register_before_disposal(keep_counts)
    try:
        retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
        decisions.case_dispose(retention=retention, actor=manager)
    finally:
        hooks.unregister_before_disposal(keep_counts)
    assert seen == [("NK-2015-OLD01", 2, 2)]
    assert not Case.objects.filter(pk=due.pk).exists()


def test_a_failing_hook_stops_the_disposal_and_nothing_is_deleted(cast, due, manager):
    def refuse(case):
        raise RuntimeError("reports could not keep their counts")

    hooks.register_before_disposal(refuse)
    try:
        retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
        with pytest.raises(RuntimeError):
            decisions.case_dispose(retention=retention, actor=manager)
    finally:
        hooks.unregister_before_disposal(refuse)
    assert Case.objects.filter(pk=due.pk).exists()
    assert not DisposalCertificate.objects.exists()
    assert register_entries() == []


def test_people_on_another_live_case_keep_their_record(cast, due, manager):
    perpetrator = due.people["perpetrator"]
    live = Case.objects.create(partnership=cast.partnership, area=cast.area_a, reference="NK-LIVE")
    CaseParticipant.objects.create(case=live, person=perpetrator, role=ParticipantRole.PERPETRATOR)
    addresses = PersonAddress.objects.filter(person=perpetrator).count()
    retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
    certificate = decisions.case_dispose(retention=retention, actor=manager)
    assert gone(due.people["victim"])
    assert not PersonKey.objects.filter(person_id=due.people["victim"].pk).exists()
    perpetrator.refresh_from_db()
    assert perpetrator.surname == "Ashcombe"
    assert PersonAddress.objects.filter(person=perpetrator).count() == addresses
    assert live.participants.get().person == perpetrator
    assert certificate.counts["people"] == 1


def test_a_merged_record_goes_with_its_person_and_a_merge_with_a_live_person_keeps_both(
    cast, due, manager
):
    victim = due.people["victim"]
    duplicate = Person.objects.create(partnership=cast.partnership, surname="Ashcombe")
    person_merge(kept=victim, merged=duplicate, actor=cast.coordinator, reason="Same person")
    perpetrator = due.people["perpetrator"]
    elsewhere = Person.objects.create(partnership=cast.partnership, surname="Ashcombe")
    live = Case.objects.create(partnership=cast.partnership, area=cast.area_a, reference="NK-LIVE")
    CaseParticipant.objects.create(case=live, person=elsewhere, role=ParticipantRole.PERPETRATOR)
    person_merge(kept=elsewhere, merged=perpetrator, actor=cast.coordinator, reason="Same person")
    retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
    decisions.case_dispose(retention=retention, actor=manager)
    assert gone(victim, duplicate)
    # The perpetrator's record was merged into a person of a live case: one person, kept whole.
    assert Person.objects.filter(pk__in=[perpetrator.pk, elsewhere.pk]).count() == 2


def test_the_certificate_holds_no_personal_data_and_is_in_the_register(cast, due, manager):
    retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
    certificate = decisions.case_dispose(retention=retention, actor=manager)
    entry = register_entries()[0]
    text = json.dumps(entry) + str(
        {f.name: getattr(certificate, f.attname) for f in DisposalCertificate._meta.fields}
    )
    for name in ("Rowena", "Ashcombe", "Dorian", "1990", "1988"):
        assert name not in text
    assert entry["case_reference"] == "NK-2015-OLD01"
    assert entry["counts"] == certificate.counts
    assert certificate.counts["cases"] == 1
    assert certificate.counts["case participants"] == 2
    assert certificate.counts["people"] == 2
    assert certificate.counts["person addresses"] == 2
    assert certificate.case_closed_on == D(2015, 1, 10)
    assert certificate.retention_ended_on == D(2020, 6, 1)
    event = AuditEvent.objects.filter(action="retention.dispose").get()
    assert event.detail == {"certificate": certificate.pk, "rows": certificate.total_destroyed}
    assert event.actor == manager


# --- After a restore ------------------------------------------------------------------------


def test_a_restored_case_is_disposed_of_again_by_the_next_sweep(cast, due, manager):
    created = due.created_at
    retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
    decisions.case_dispose(retention=retention, actor=manager)
    # A backup from before the disposal is restored: the case is back, its certificate is not.
    DisposalCertificate.objects.all().delete()
    back, people = closed_case(
        cast.area_a, "NK-2015-OLD01", closed_at=at(D(2015, 1, 10)), people=ADULTS
    )
    Case.objects.filter(pk=back.pk).update(created_at=created)
    # A later case given a disposed case's reference (the counter went back) is not touched.
    namesake = Case.objects.create(
        partnership=cast.partnership, area=cast.area_a, reference="NK-NAMESAKE"
    )
    DisposalCertificate.objects.create(
        partnership=cast.partnership,
        case_reference="NK-NAMESAKE",
        case_created_at=namesake.created_at - datetime.timedelta(days=900),
        rule="x",
        disposed_at=TEST_NOW,
    )
    report = run_sweep(now=TEST_NOW, deliver=False)
    assert report.counts["retention.reapply_disposals"] == 1
    assert not Case.objects.filter(pk=back.pk).exists()
    assert gone(*people.values())
    assert Case.objects.filter(pk=namesake.pk).exists()
    certificate = DisposalCertificate.objects.get(case_reference="NK-2015-OLD01")
    assert certificate.reapplied_at is not None
    assert certificate.approved_by == manager  # recreated from the register
    # The register now holds the namesake's certificate too, and a second sweep does nothing.
    assert len(register_entries()) == 2
    assert run_sweep(now=TEST_NOW, deliver=False).counts["retention.reapply_disposals"] == 0


def test_the_register_file_is_outside_the_database_and_append_only(cast, due, manager):
    retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
    decisions.case_dispose(retention=retention, actor=manager)
    lines = settings.DISPOSAL_REGISTER.read_text().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["case_reference"] == "NK-2015-OLD01"


# --- The sweep touches only what is due ----------------------------------------------------


def _archived(cast, count: int, start: int) -> None:
    for n in range(start, start + count):
        case = Case.objects.create(
            partnership=cast.partnership,
            area=cast.area_b,
            reference=f"WK-ARCH-{n:04d}",
            status="closed",
            closed_at=at(D(2020, 1, 1)),
            archived_at=at(D(2020, 3, 1)),
        )
        CaseRetention.objects.create(
            case=case, group_code="1", review_on=D(2090, 1, 1), scheduled_at=TEST_NOW
        )


def test_the_sweep_reads_the_same_number_of_rows_however_many_cases_are_archived(cast, due):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            retention_archive_due(now=TEST_NOW)
            retention_mark_due(now=TEST_NOW)
        return len(captured.captured_queries)

    _archived(cast, 3, 0)
    few = queries()
    _archived(cast, 30, 100)
    assert queries() == few


def test_the_reports_freeze_settled_figures_before_a_case_and_its_facts_go(cast, due, manager):
    from openmarac.reports.models import FrozenFigures
    from openmarac.reports.services import figures_keep_before_disposal

    assert figures_keep_before_disposal in hooks._before_disposal  # registered at start-up
    # Half a year on, the partnership's first quarters have settled but nobody froze them yet.
    with time_machine.travel(TEST_NOW + datetime.timedelta(days=200), tick=False):
        assert not FrozenFigures.objects.exists()
        retention = decisions.retention_recommend(retention=state_of(due), actor=cast.coordinator)
        decisions.case_dispose(retention=retention, actor=manager)
        frozen = FrozenFigures.objects.count()
        assert frozen > 0
        assert FrozenFigures.objects.filter(start=datetime.date(2026, 10, 1)).exists()
        # Frozen figures are kept once: a second disposal's hook adds none for the same periods.
        figures_keep_before_disposal(due)
        assert FrozenFigures.objects.count() == frozen
