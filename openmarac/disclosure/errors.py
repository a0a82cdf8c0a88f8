"""The error disclosure's services raise; its message is safe to show."""

from __future__ import annotations


class DisclosureError(Exception):
    """A step the rules do not allow; the message is safe to show."""
