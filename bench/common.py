"""Setting up Django for a benchmark script run from the repository root."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url: str | None = None) -> None:
    """Configure and start Django; ``database_url`` overrides ``DATABASE_URL`` when given."""
    sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("OPENMARAC_ENV", "development")
    os.environ["DEBUG"] = "0"  # no query log: it would grow without bound
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmarac.settings")
    import django

    django.setup()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]
