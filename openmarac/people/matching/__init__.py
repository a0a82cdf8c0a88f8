"""Record linkage for people: who on existing cases is the person named on a referral.

Use ``find_candidates(PersonQuery(...), people=people_visible_to(user))``; see
``docs/performance.md`` for how it works and how well.
"""

from .search import find_candidates
from .types import MATCH_THRESHOLD, Evidence, Match, PersonQuery

__all__ = ["MATCH_THRESHOLD", "Evidence", "Match", "PersonQuery", "find_candidates"]
