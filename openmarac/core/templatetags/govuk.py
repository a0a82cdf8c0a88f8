"""Template helpers for GOV.UK markup."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.http import QueryDict

from openmarac.core.forms import QueryForm

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


@register.simple_tag
def page_query(query: QueryForm, number: int) -> str:
    """The query string of page ``number`` of a list: the choices the page's query form read
    (its filters, as cleaned, so a bad value is not carried on), with only the page changed."""
    params = QueryDict(mutable=True)
    for name in query.fields:
        value = query.value(name)
        if value in (None, "") or name == "page":
            continue
        key = query.add_prefix(name)
        for item in value if isinstance(value, list | tuple) else [value]:
            params.appendlist(
                key,
                item.isoformat()
                if isinstance(item, datetime.date)
                else str(getattr(item, "pk", item)),
            )
    params["page"] = str(number)
    return str(params.urlencode())
