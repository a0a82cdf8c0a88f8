"""Template helpers for GOV.UK markup."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id the error summary links to: the first input of a group, or the input itself."""
    if field.widget_type in ("govukradios", "govukinlineradios", "govukcheckboxes", "govukdate"):
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.filter
def is_fieldset(field: BoundField) -> bool:
    return field.widget_type in ("govukradios", "govukinlineradios", "govukcheckboxes", "govukdate")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None
