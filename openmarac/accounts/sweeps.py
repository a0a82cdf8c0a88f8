"""Forgetting old counts of failed sign-ins."""

from __future__ import annotations

import datetime

from openmarac.jobs.registry import sweep_step

from .throttle import forget_old


@sweep_step("accounts.forget_old_sign_in_failures")
def forget_old_sign_in_failures(now: datetime.datetime) -> int:
    return forget_old(now=now)
