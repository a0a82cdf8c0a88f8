"""The actions app, reached only when it is needed: proceedings runs without it, and then a
meeting agrees no actions."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps


def actions_available() -> bool:
    """Whether the actions app provides its models in this installation."""
    return apps.get_app_config("actions").models_module is not None


def actions_part(name: str) -> Any:
    """A module of the actions app (``models``, ``services``), imported when it is needed."""
    return importlib.import_module(f"openmarac.actions.{name}")
