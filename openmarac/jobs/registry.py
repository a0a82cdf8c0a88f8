"""The sweep steps: idempotent functions, one per kind of deadline work, found in ``sweeps.py``.

Each app that has deadline work declares it in its own ``sweeps.py``::

    @sweep_step("referrals.triage_sla")
    def triage_sla(now: datetime.datetime) -> int:
        ...  # work out from the data what is due at ``now``; return how many things were done

A step must be idempotent and safe to run in two workers at once: it records what it did in the
data (a status, a timestamp, a notice with a unique key), so a second run finds nothing new.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

StepFunction = Callable[[datetime.datetime], int]


@dataclass(frozen=True)
class SweepStep:
    name: str
    function: StepFunction


_STEPS: dict[str, SweepStep] = {}


def sweep_step(name: str) -> Callable[[StepFunction], StepFunction]:
    """Register ``function`` as the sweep step ``name`` (``"app.what"``)."""

    def register(function: StepFunction) -> StepFunction:
        existing = _STEPS.get(name)
        if existing is not None and existing.function is not function:
            qualified = f"{function.__module__}.{function.__qualname__}"
            if f"{existing.function.__module__}.{existing.function.__qualname__}" != qualified:
                raise ValueError(f"two sweep steps are called {name!r}")
        _STEPS[name] = SweepStep(name=name, function=function)
        return function

    return register


def registered_steps() -> list[SweepStep]:
    """Every step of every installed app, in name order (so runs are repeatable)."""
    autodiscover_modules("sweeps")
    return [_STEPS[name] for name in sorted(_STEPS)]
