"""Record linkage for people: who on existing cases is the person named on a referral.

Use ``find_candidates(PersonQuery(...), people=people_visible_to(user))``, or
``find_candidates_for`` for a referral's people at once; see
``docs/performance.md`` for how it works and how well.
"""

from .search import find_candidates, find_candidates_for
from .types import MATCH_THRESHOLD, TIE_BITS, Evidence, Match, PersonQuery

__all__ = [
    "MATCH_THRESHOLD",
    "TIE_BITS",
    "Evidence",
    "Match",
    "PersonQuery",
    "find_candidates",
    "find_candidates_for",
]
