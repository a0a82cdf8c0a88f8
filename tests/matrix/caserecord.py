"""The case record's PDF: the same people as the case record page (``caserecord:record``)."""

from __future__ import annotations

from .common import SIGN_IN

ROWS = {
    "caserecord:pdf": (
        lambda c: {"reference": c.case_a.reference},
        {
            "coordinator": 200,
            "chair": 200,
            "police_rep": 200,
            "housing_rep": 404,  # by invite only in North Kent, and not invited to this case
            "invited_rep": 200,
            "lead": 404,
            "revoked": SIGN_IN,
            "anonymous": SIGN_IN,
        },
    ),
}
