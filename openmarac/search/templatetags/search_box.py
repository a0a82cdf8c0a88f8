"""Whether the header shows the search box: to staff who see cases, and to nobody else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from openmarac.core.decorators import sees_cases

if TYPE_CHECKING:
    from openmarac.core.types import Viewer

register = template.Library()


@register.filter
def may_search(user: Viewer) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and sees_cases(user))
