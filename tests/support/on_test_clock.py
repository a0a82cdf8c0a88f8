"""Run a ``manage.py`` command in a child process on the tests' clock.

The worker tests start real processes. Those would read the machine's date while the data the
test made is dated on the test clock (``TEST_NOW``), so a sweep could find that data years old (a
notice past its purge date) or not yet due, depending on the day the suite runs. This starts the
same ticking clock in the child before Django loads::

    python -m tests.support.on_test_clock 2026-11-23T10:00:00+00:00 run_sweep
"""

from __future__ import annotations

import datetime
import os
import sys

import time_machine


def main(argv: list[str]) -> None:
    moment = datetime.datetime.fromisoformat(argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmarac.settings")
    from django.core.management import execute_from_command_line

    with time_machine.travel(moment, tick=True):
        execute_from_command_line(["manage.py", *argv[2:]])


if __name__ == "__main__":
    main(sys.argv)
