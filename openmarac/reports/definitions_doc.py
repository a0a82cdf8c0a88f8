"""docs/reporting.md, written from the catalogue so that the figures are defined once."""

from __future__ import annotations

from .catalogue import FIGURES, SECTIONS, TABLES
from .models import DEFAULT_SAFELIVES_CATEGORIES, DEFAULT_SUPPRESSION_THRESHOLD

INTRO = """\
# Reporting: every figure and how it is counted

<!-- Written by `manage.py reporting_definitions` from openmarac/reports/catalogue.py; a test
fails when they differ. Edit the catalogue, then run the command. -->

OpenMARAC reports what the SafeLives MARAC data return and the partnership's steering group ask
for (000 §7, §8.1-8.3; 002 §20-23; 003 "MARAC Steering Group" and SafeLives' 10 principles;
004 §3.2, §5, §8; the outcome measure of 001 Part 5). Each figure below has one definition; its
key is its name in the CSV, XLSX and JSON downloads and in `manage.py safelives_return`.

Where to read them: `/reports/` (the dashboard, the partnership lead's home page), the SafeLives
return at `/reports/return/` (with CSV and XLSX downloads, and each meeting's figures), the
printable steering group report at `/reports/steering-group/`, and these definitions at
`/reports/definitions/`. Partnership leads see every area's figures, chairs and the hub those of
the areas they follow; none of them ever see a case through the reports.

## How the figures are counted

* **Facts.** What a figure needs from the case records is copied, as codes, into one *fact* per
  referral that reached the hub and one per case heard at a meeting (`reports_referralfact`,
  `reports_hearingfact`): area, dates, the referring agency's sector, the criteria met, and the
  victim's gender, age band, ethnic group, LGBT+ and disability answers, the children at home,
  whether a perpetrator was 17 or under and the relationship, never a name, a date of birth or
  free text. The facts are written by the deadline sweep every minute (and by a page for its own
  period when the sweep has not just run), at most a minute behind the records, and copied
  from the referral as it stood, so a later merge of people or a case moving
  area does not rewrite a past quarter. Everything else (decisions, meetings, attendance,
  research, actions) is counted from the workflow's own records.
* **Aggregates.** Each figure is a count the database makes (`COUNT`, `SUM`, `EXISTS`), a fixed
  number of queries whatever the number of cases.
* **Periods.** Calendar quarters (`2027Q1` is January to March 2027), calendar years, or any run
  of days, in UK local time. A figure about a thing that happens on a day (a referral arriving, a
  decision, a hearing, a meeting, an action agreed) counts it in the period that holds the day.
  The state of an action is read at the end of the period, or now if that is sooner.
* **Areas.** One area MARAC, or every area the reader reports on ("All areas" when that is the
  whole partnership). A hearing belongs to the area of its meeting, a referral to the area it was
  made to.
* **Meetings.** SafeLives collects its data after each meeting: every figure marked *per meeting*
  below is also given for one meeting. Equality figures never are.
* **Frozen figures.** A quarter, a year (each area and all areas) and a meeting are frozen once
  `freeze_after_days` (42 by default) have passed since they ended: their exact counts are kept
  for good (`reports_frozenfigures`), counts that identify no one, so the same period gives the
  same return later even after its records are disposed of under retention, which happens years
  later. A run of days that is not a quarter or year is always counted afresh.
* **Small numbers.** In a *breakdown* (a count of people or cases in one category), any count from
  1 to one less than the partnership's suppression threshold (default {threshold}) is shown as
  "fewer than {threshold}" wherever figures leave the case data: pages, downloads and the command.
  Where the rest of its group and the group's total would then give it away, the smallest other
  count of the group is withheld as well ("not shown"). A share is withheld with its numerator.
  Totals, process counts (meetings, agencies' tasks, actions) and rates are not breakdowns.
* **SafeLives categories.** SafeLives changes its referring-agency categories between versions
  of its form, so each sector's category is a reporting setting. The defaults:
  {categories}.
* **Population.** Each area's women aged 16 and over, and its shares of Black, Asian and racially
  minoritised, disabled and LGBT+ people, are settings of the area with their source
  (`/reports/settings/`).

Kinds: *total* (always shown), *breakdown* (small numbers withheld), *percent*, *process*, *rate*.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reporting_markdown() -> str:
    categories = "; ".join(
        f"{sector} → {label}" for sector, label in DEFAULT_SAFELIVES_CATEGORIES.items()
    )
    lines = [
        INTRO.format(threshold=DEFAULT_SUPPRESSION_THRESHOLD, categories=categories).rstrip(),
        "",
    ]
    for key, title in SECTIONS:
        figures = [figure for figure in FIGURES if figure.section == key]
        lines += [
            f"## {title}",
            "",
            "| key | figure | kind | per meeting | rule | source |",
            "|---|---|---|---|---|---|",
        ]
        for figure in figures:
            lines.append(
                f"| `{figure.key}` | {_cell(figure.label)} | {figure.kind} | "
                f"{'yes' if figure.per_meeting else 'no'} | {_cell(figure.rule)} | "
                f"{_cell(figure.source)} |"
            )
        lines.append("")
    lines += ["## Tables by agency", "", "| key | table | rule |", "|---|---|---|"]
    for key, title, rule in TABLES:
        lines.append(f"| `{key}` | {_cell(title)} | {_cell(rule)} |")
    lines.append("")
    return "\n".join(lines)
