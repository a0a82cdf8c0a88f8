"""``manage.py safelives_return``: the SafeLives MARAC data return as a file, for scheduled use.

    manage.py safelives_return --area NK --quarter 2027Q1 --format xlsx --output nk.xlsx
    manage.py safelives_return --all --from 2027-01-01 --to 2027-12-31 --format json --output -

The figures are those of the return page, small numbers withheld the same way; the JSON has one
key per figure, named as in docs/reporting.md, with ``about`` describing the scope. Each run is
recorded in the audit log.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmarac.audit.services import audit_record
from openmarac.partnerships.models import Area, Partnership
from openmarac.reports import documents, exports, periods
from openmarac.reports.counting import Scope
from openmarac.reports.figures import figures_for
from openmarac.reports.suppression import shown


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date like 2027-03-31") from exc


class Command(BaseCommand):
    help = "Write the SafeLives MARAC data return of an area (or all) for a period to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--area", help="The area's code, e.g. NK")
        where.add_argument("--all", action="store_true", help="Every area of the partnership")
        parser.add_argument("--quarter", help="A calendar quarter, e.g. 2027Q1")
        parser.add_argument("--year", type=int, help="A calendar year, e.g. 2027")
        parser.add_argument("--from", dest="start", help="The first day, e.g. 2027-01-01")
        parser.add_argument("--to", dest="end", help="The last day, e.g. 2027-03-31")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("--output", required=True, help="A file to write, or - for stdout")
        parser.add_argument(
            "--partnership", type=int, help="The partnership's id, where there are several"
        )

    def _period(self, options: dict[str, Any]) -> periods.Period:
        given = [
            bool(options["quarter"]),
            options["year"] is not None,
            bool(options["start"] or options["end"]),
        ]
        if sum(given) != 1:
            raise CommandError("Give one of --quarter, --year, or --from with --to")
        if options["quarter"]:
            found = periods.parse(options["quarter"])
            if found is None or not found.is_quarter:
                raise CommandError(f"{options['quarter']!r} is not a quarter like 2027Q1")
            return found
        if options["year"] is not None:
            if not periods.FIRST_YEAR <= options["year"] <= 2999:
                raise CommandError("The year must be between 2000 and 2999")
            return periods.year(options["year"])
        if not (options["start"] and options["end"]):
            raise CommandError("Give both --from and --to")
        return periods.days(_date(options["start"]), _date(options["end"]))

    def _partnership(self, options: dict[str, Any]) -> Partnership:
        if options["partnership"] is not None:
            found = Partnership.objects.filter(pk=options["partnership"]).first()
            if found is None:
                raise CommandError("No partnership has that id")
            return found
        partnerships = list(Partnership.objects.order_by("pk")[:2])
        if len(partnerships) != 1:
            raise CommandError(
                "Name the partnership with --partnership (there are several, or none)"
            )
        return partnerships[0]

    def handle(self, *args: Any, **options: Any) -> None:
        period = self._period(options)
        partnership = self._partnership(options)
        areas = list(Area.objects.filter(partnership=partnership).order_by("pk"))
        if options["all"]:
            chosen = areas
        else:
            chosen = [area for area in areas if area.code.lower() == options["area"].lower()]
            if not chosen:
                raise CommandError(f"No area of {partnership} has the code {options['area']!r}")
        scope = Scope(
            partnership_id=partnership.pk,
            area_ids=tuple(area.pk for area in chosen),
            all_areas=bool(options["all"]),
            period=period,
            label="All areas" if options["all"] else chosen[0].name,
            area_codes=tuple(area.code for area in chosen),
        )
        figures = figures_for(scope)
        cells = shown(figures)
        fmt = options["format"]
        if fmt == "json":
            content = (
                json.dumps(documents.return_json(figures, cells), indent=2, default=str) + "\n"
            ).encode()
        else:
            content = exports.render(documents.return_sheets(figures, cells), fmt)
        if options["output"] == "-":
            sys.stdout.buffer.write(content)
        else:
            Path(options["output"]).write_bytes(content)
        audit_record(
            action="report_return.export",
            actor_label="manage.py safelives_return",
            detail={
                "format": fmt,
                "areas": list(scope.area_codes),
                "from": str(period.start),
                "to": str(period.end),
            },
        )
        if options["output"] != "-":
            self.stdout.write(
                f"Wrote the return of {scope.label}, {period.label}, to {options['output']}"
            )
