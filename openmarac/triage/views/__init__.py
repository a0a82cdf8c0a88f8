"""Triage pages for hub coordinators (the queue, one referral, its decisions, people), complex
cases for chairs, and weekly updates for members."""
