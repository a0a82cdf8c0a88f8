"""Hooks through which an app learns of another's work without importing it.

``core`` stands on no app, so an app that must act when another does something registers a
function here at start-up (in its ``AppConfig.ready``), and the app doing the thing runs every
registered function at the right moment.

* ``register_before_disposal(fn)``: ``fn(case)`` runs inside the disposal transaction, before any
  row of the case is deleted, so that an app can keep what must outlive the case (the reports app
  keeps its non-personal counts). It must write nothing personal, and an exception it raises
  stops the disposal: the whole transaction rolls back and nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BeforeDisposal = Callable[[Any], None]
_before_disposal: list[BeforeDisposal] = []


def register_before_disposal(fn: BeforeDisposal) -> BeforeDisposal:
    """Run ``fn(case)`` before a case is disposed of. Registering twice keeps one entry."""
    if fn not in _before_disposal:
        _before_disposal.append(fn)
    return fn


def unregister_before_disposal(fn: BeforeDisposal) -> None:
    """Forget ``fn`` (for tests that register a hook of their own)."""
    if fn in _before_disposal:
        _before_disposal.remove(fn)


def run_before_disposal(*, case: Any) -> None:
    """Call every registered hook with ``case``, in the order they were registered."""
    for fn in list(_before_disposal):
        fn(case)
