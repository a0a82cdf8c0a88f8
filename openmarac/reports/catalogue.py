"""Every figure OpenMARAC reports, defined once: its key, label, exact rule and source.

``docs/reporting.md`` is written from this list (``manage.py reporting_definitions``) and a test
keeps the two the same; the pages link each figure to its entry on ``/reports/definitions/``.

Kinds:

* ``total``: a count of cases, hearings or referrals for the whole period, always shown;
* ``breakdown``: a count of people or cases in one category: any count from 1 to one less than
  the partnership's suppression threshold is shown as "fewer than N", and where that would let
  it be worked out from the total, the smallest other count of its group is withheld too;
* ``percent``: a share of two counts, withheld when its numerator is;
* ``process``: a count of meetings, agencies' tasks or actions, which narrows to no person;
* ``rate``: a rate that is not a share (cases per 10,000 women).
"""

from openmarac.agencies.models import Sector

from .catalogue_referrals import referral_figures
from .catalogue_victims import victim_figures
from .figure import (
    CASE_RULE,
    CRITERION_LABELS,
    GWENT,
    HEARINGS_RULE,
    KENT_GUIDE,
    KENT_HUB,
    LINCS,
    OUTCOMES,
    SAFELIVES,
    SECTION_TITLES,
    SECTIONS,
    Figure,
)

__all__ = [
    "BY_KEY",
    "CASE_RULE",
    "CRITERION_LABELS",
    "FIGURES",
    "OUTCOMES",
    "SAFELIVES_PATTERN",
    "SECTIONS",
    "SECTION_TITLES",
    "TABLES",
    "TABLE_KEYS",
    "Figure",
]


def _figures() -> list[Figure]:
    f: list[Figure] = [
        Figure(
            "hearings",
            "Cases heard (counting each hearing)",
            "cases",
            HEARINGS_RULE,
            SAFELIVES,
            kind="total",
            per_meeting=True,
        ),
        Figure(
            "cases_heard",
            "Cases heard (counting each case once)",
            "cases",
            "Distinct cases among the hearings: a case heard at two meetings in the period "
            "counts once.",
            KENT_HUB,
            kind="total",
            per_meeting=True,
        ),
        Figure(
            "repeat_hearings",
            "Repeat cases heard (counting each hearing)",
            "cases",
            "Hearings of a case listed as a repeat: its listing's reason is a repeat referral, or "
            "the referral it was listed for was accepted as a repeat under the area's repeat rule.",
            SAFELIVES,
            kind="total",
            per_meeting=True,
        ),
        Figure(
            "repeat_cases",
            "Repeat cases heard (counting each case once)",
            "cases",
            "Distinct cases with at least one repeat hearing in the period.",
            LINCS,
            kind="total",
            per_meeting=True,
        ),
        Figure(
            "repeat_rate",
            "Repeat rate (hearings)",
            "cases",
            "Repeat hearings as a percentage of hearings, to one decimal place.",
            SAFELIVES,
            kind="percent",
            per_meeting=True,
            numerator="repeat_hearings",
            denominator="hearings",
        ),
        Figure(
            "repeat_case_rate",
            "Repeat rate (cases)",
            "cases",
            "Repeat cases as a percentage of cases heard, to one decimal place.",
            LINCS,
            kind="percent",
            numerator="repeat_cases",
            denominator="cases_heard",
        ),
        Figure(
            "children_in_households",
            "Children in the households of cases heard (counting each hearing)",
            "cases",
            "For each hearing, the children named on its referral less those said not to live in "
            "the household; summed over the hearings, as SafeLives sums its meeting forms.",
            SAFELIVES,
            kind="total",
            per_meeting=True,
        ),
        Figure(
            "children_in_households_of_cases",
            "Children in the households of cases heard (counting each case once)",
            "cases",
            "The same count for each case once, from its latest hearing in the period.",
            KENT_GUIDE,
            kind="total",
        ),
        Figure(
            "emergency_hearings",
            "Hearings at an emergency MARAC",
            "cases",
            "Hearings at an emergency meeting, or of a case listed as an emergency. Counted, "
            "never described.",
            LINCS,
            per_meeting=True,
        ),
        Figure(
            "restricted_cases",
            "Restricted cases heard",
            "cases",
            "Distinct cases heard that were restricted (closed MARAC, HBA/FM/FGM or "
            "employee-sensitive) or heard at a restricted meeting. Counted, never described.",
            LINCS,
            per_meeting=True,
        ),
    ]
    for sector, label in Sector.choices:
        f.append(
            Figure(
                f"hearings_referred_by_{sector}",
                f"Hearings referred by: {label}",
                "referring",
                "Hearings whose referral came from an agency of this sector (the referrer's "
                "agency when the referral reached the hub; Other when the referrer named an "
                "organisation not listed).",
                SAFELIVES,
                per_meeting=True,
                group="hearings_by_sector",
                total="hearings",
            )
        )
    f += [
        Figure(
            "hearings_referred_by_police_percent",
            "Share of hearings referred by the police",
            "referring",
            "Hearings referred by the police as a percentage of hearings.",
            SAFELIVES,
            kind="percent",
            per_meeting=True,
            numerator="hearings_referred_by_police",
            denominator="hearings",
        ),
        Figure(
            "safelives_hearings_<category>",
            "Hearings by SafeLives referring-agency category",
            "referring",
            "Hearings by sector, added up into the SafeLives category each sector is mapped to "
            "in the partnership's reporting settings; <category> is the category's name in "
            "lower case with words joined by underscores (e.g. safelives_hearings_primary_care).",
            SAFELIVES,
            per_meeting=True,
            group="hearings_by_safelives",
            total="hearings",
        ),
    ]
    f += victim_figures()
    f += referral_figures()
    f += [
        Figure(
            "triage_decided",
            "Referrals received and decided",
            "timeliness",
            "referrals_received with a first decision by the hub (accepted, returned or "
            "declined), whenever it was made.",
            KENT_HUB,
            kind="process",
        ),
        Figure(
            "triage_on_time",
            "Referrals triaged within the area's deadline",
            "timeliness",
            "triage_decided whose first decision came within the area's triage working hours of "
            "the referral's first arrival (the deadline as the area set it then).",
            KENT_HUB,
            kind="process",
        ),
        Figure(
            "triage_on_time_percent",
            "Share triaged on time",
            "timeliness",
            "triage_on_time as a percentage of triage_decided.",
            KENT_HUB,
            kind="percent",
            numerator="triage_on_time",
            denominator="triage_decided",
        ),
        Figure(
            "research_requested",
            "Research requests",
            "timeliness",
            "Research requests to agencies for cases listed at meetings in the period.",
            KENT_HUB,
            kind="process",
        ),
        Figure(
            "research_on_time",
            "Research completed on time",
            "timeliness",
            "research_requested completed on or before the day it was due.",
            KENT_HUB,
            kind="process",
        ),
        Figure(
            "research_on_time_percent",
            "Share of research on time",
            "timeliness",
            "research_on_time as a percentage of research_requested.",
            KENT_HUB,
            kind="percent",
            numerator="research_on_time",
            denominator="research_requested",
        ),
        Figure(
            "meetings_held",
            "Meetings held",
            "timeliness",
            "Meetings of the area that started in the period and were held (not professionals' "
            "meetings).",
            GWENT,
            kind="process",
            per_meeting=True,
        ),
        Figure(
            "agendas_on_time",
            "Agendas sent out on time",
            "timeliness",
            "meetings_held whose agenda was sent out on or before the day the area's lead time "
            "gives.",
            LINCS,
            kind="process",
            per_meeting=True,
        ),
        Figure(
            "minutes_due",
            "Minutes due",
            "timeliness",
            "meetings_held that closed, so that their minutes fell due.",
            LINCS,
            kind="process",
            per_meeting=True,
        ),
        Figure(
            "minutes_on_time",
            "Minutes published within the area's deadline",
            "timeliness",
            "minutes_due published by their deadline (the area's working days, or hours, after "
            "the meeting).",
            LINCS,
            kind="process",
            per_meeting=True,
        ),
        Figure(
            "actions_sent_on_time",
            "Actions sent within the area's deadline",
            "timeliness",
            "minutes_due whose agreed actions went to their owners within the area's working "
            "days (usually 1).",
            KENT_HUB,
            kind="process",
            per_meeting=True,
        ),
    ]
    for key, label, rule in [
        ("actions_set", "Actions set", "Actions agreed in the period on cases of the area."),
        (
            "actions_completed",
            "Actions completed",
            "actions_set completed by the end of the period (or today, if sooner).",
        ),
        (
            "actions_not_feasible",
            "Actions not feasible",
            "actions_set marked not feasible by then.",
        ),
        (
            "actions_open",
            "Actions open",
            "actions_set neither completed nor marked not feasible by then.",
        ),
        ("actions_overdue", "Actions overdue", "actions_open whose due date had passed by then."),
        (
            "actions_no_update",
            'Actions marked "no update from lead agency"',
            "actions_open marked so by the overdue sweep by then (Cambridgeshire's rule).",
        ),
    ]:
        f.append(Figure(key, label, "actions", rule, LINCS, kind="process"))
    f += [
        Figure(
            "attendances",
            "Agency attendances",
            "attendance",
            "For each meeting held, the agencies with a representative, chair or minute taker "
            "recorded as attending (observers not counted), added up.",
            GWENT,
            kind="process",
            per_meeting=True,
        ),
        Figure(
            "apologies",
            "Apologies",
            "attendance",
            "For each meeting held, the agencies that sent apologies, added up.",
            GWENT,
            kind="process",
            per_meeting=True,
        ),
        Figure(
            "repeat_victimisation_12m",
            "Cases referred again as a repeat within 12 months of being heard",
            "outcomes",
            "cases_heard for which a further referral was accepted as a repeat of the same case "
            "after the day of its latest hearing in the period and within 12 months of it. The "
            "old Kent guide's outcome measure counts any call to the police in those months; "
            "OpenMARAC sees only the repeats that come back to the MARAC. Until 12 months have "
            "passed since the period's end the figure can still rise.",
            KENT_GUIDE,
        ),
        Figure(
            "repeat_victimisation_12m_percent",
            "Share referred again within 12 months",
            "outcomes",
            "repeat_victimisation_12m as a percentage of cases_heard.",
            KENT_GUIDE,
            kind="percent",
            numerator="repeat_victimisation_12m",
            denominator="cases_heard",
        ),
        Figure(
            "cases_per_10000_women",
            "Hearings a year per 10,000 women aged 16 and over",
            "outcomes",
            "hearings, scaled to a year (times 365.25 over the days in the period), per 10,000 "
            "women aged 16 and over living in the areas reported on (each area's population "
            "setting, with its source). Shown only when every area reported on has it. "
            "SafeLives expects about 40.",
            SAFELIVES,
            kind="rate",
        ),
    ]
    return f


FIGURES: list[Figure] = _figures()
BY_KEY: dict[str, Figure] = {figure.key: figure for figure in FIGURES}
SAFELIVES_PATTERN = "safelives_hearings_<category>"

# Tables: per-agency figures, whose rows are agencies (process figures, never suppressed).
TABLES = [
    (
        "research_by_agency",
        "Research by agency",
        "For each agency: research_requested and research_on_time, counted as above.",
    ),
    (
        "attendance_by_agency",
        "Attendance and apologies by agency",
        "For each agency: the meetings held in areas where it is a standing member (expected), "
        "the meetings it attended, sent apologies to (and of those, sent its information in "
        "writing), and missed without apologies (expected less attended less apologies).",
    ),
    (
        "actions_by_agency",
        "Actions by agency",
        "For each agency that owns actions: actions_set, actions_completed, "
        "actions_not_feasible, actions_open, actions_overdue and actions_no_update.",
    ),
]
TABLE_KEYS = [key for key, _title, _rule in TABLES]
