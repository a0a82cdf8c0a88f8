"""Reads for the case record. The record stands above the apps it reads (floor 5), so the case
app below it need not know about referrals, hearings, research, actions or disclosure."""

from .record import CaseRecord, case_record_for
from .timeline import TimelineEvent

__all__ = ["CaseRecord", "TimelineEvent", "case_record_for"]
