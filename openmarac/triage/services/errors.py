"""The one error the triage services raise."""

from __future__ import annotations


class TriageError(Exception):
    """A decision the rules do not allow; the message is safe to show."""
