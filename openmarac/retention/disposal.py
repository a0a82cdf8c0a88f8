"""Destroying a case: every row that belongs to it, and its people unless another record needs
them, in one transaction that leaves a disposal certificate.

What belongs to a case is read from the models themselves, not listed here: every row that
points to the case, and every row that points to one of those, and so on (participants,
referrals and their people's roles, triage decisions, listings, research and its versions,
hearings, minutes text and corrections, actions and their history, alerts, invitations, grants,
retention decisions, and whatever a later app adds). Rows are deleted, children before parents;
a row that only refers to one of them with ``SET_NULL`` is kept and unlinked. Meetings, agencies
and users are not the case's and stay.

A person goes with the case unless something outside it still points to them: a role on another
case or referral, or a merge with a person who stays (they are one person, whom that other
record needs). Their addresses and search keys go with them; a record that points to them with
``SET_NULL`` (a subject access request naming its subject) is kept and unlinked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db import models

from openmarac.cases.models import Case
from openmarac.people.models import Person, PersonMerge

Edge = tuple[type[models.Model], models.ForeignKey[Any, Any]]


@lru_cache(maxsize=1)
def _edges() -> dict[type[models.Model], list[Edge]]:
    """For each model, the (model, foreign key) pairs that point to it, many-to-many tables too."""
    edges: dict[type[models.Model], list[Edge]] = defaultdict(list)
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_fields:
            if isinstance(field, models.ForeignKey):
                target = field.remote_field.model
                assert isinstance(target, type)
                edges[target].append((model, field))
    for children in edges.values():
        children.sort(key=lambda edge: (edge[0]._meta.label, edge[1].name))
    return dict(edges)


def children_of(model: type[models.Model]) -> list[Edge]:
    return _edges().get(model, [])


def _label(model: type[models.Model]) -> str:
    """The kind of record in the plural, as a certificate lists it ("research entries")."""
    if "verbose_name_plural" in model._meta.original_attrs:
        return str(model._meta.verbose_name_plural)
    name = str(model._meta.verbose_name)
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return f"{name[:-1]}ies"
    return f"{name}es" if name.endswith(("s", "x", "ch", "sh")) else f"{name}s"


def _person_fields(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [field for child, field in children_of(Person) if child is model]


class _Walk:
    """Deletes a tree of rows children-first, counting what goes and noting the people named."""

    def __init__(self, *, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.counts: dict[str, int] = defaultdict(int)
        self.people: set[int] = set()
        self.seen: dict[type[models.Model], set[Any]] = defaultdict(set)

    def run(self, model: type[models.Model], queryset: models.QuerySet[Any], path: tuple) -> None:
        if len(path) > 12:
            raise RuntimeError(f"disposal walk too deep at {model._meta.label}")
        for child, field in children_of(model):
            if child in path or child is Person:
                continue
            rows = child._base_manager.filter(
                **{f"{field.name}__in": queryset.values(field.target_field.name)}
            )
            if field.remote_field.on_delete is models.SET_NULL:
                if not self.dry_run:
                    rows.update(**{field.name: None})
                continue
            self.run(child, rows, (*path, child))
        for field in _person_fields(model):
            self.people.update(
                pk for pk in queryset.values_list(field.attname, flat=True) if pk is not None
            )
        if self.dry_run:
            new = set(queryset.values_list("pk", flat=True)) - self.seen[model]
            self.seen[model] |= new
            if new:
                self.counts[_label(model)] += len(new)
            return
        _total, per_model = queryset.delete()
        for label, n in per_model.items():
            if n:
                self.counts[_label(apps.get_model(label))] += n


def _people_who_stay(candidates: set[int]) -> set[int]:
    """Of ``candidates`` (people the disposed case named), those another record still needs."""
    staying: set[int] = set()
    for model, field in children_of(Person):
        if model in (Person, PersonMerge) or field.remote_field.on_delete in (
            models.CASCADE,
            models.SET_NULL,
        ):
            # Their own details (addresses, keys) go with them; a record that only names them
            # where known (a subject access request) is unlinked; merges are below.
            continue
        staying.update(
            model._base_manager.filter(**{f"{field.name}__in": candidates}).values_list(
                field.attname, flat=True
            )
        )
    # A merge ties two records of one person: while either stays, both do. An undone merge
    # ties nobody (they were found to be two people).
    changed = True
    while changed:
        changed = False
        going = candidates - staying
        ties: Iterable[tuple[int | None, int | None]] = list(
            Person._base_manager.filter(pk__in=going).values_list("pk", "merged_into_id")
        ) + list(
            Person._base_manager.filter(merged_into_id__in=going).values_list(
                "merged_into_id", "pk"
            )
        )
        merges = list(
            PersonMerge.objects.filter(undone_at__isnull=True)
            .filter(models.Q(kept_id__in=going) | models.Q(merged_id__in=going))
            .values_list("kept_id", "merged_id")
        )
        for a, b in [*ties, *merges, *[(b, a) for a, b in merges]]:
            if a in going and b is not None and (b not in candidates or b in staying):
                staying.add(a)
                changed = True
    return staying & candidates


def _merged_records(people: set[int]) -> set[int]:
    """``people`` and every record merged into one of them, however far back."""
    found = set(people)
    frontier = set(people)
    while frontier:
        frontier = (
            set(
                Person._base_manager.filter(merged_into_id__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            - found
        )
        found |= frontier
    return found


def case_destroy(case: Case) -> dict[str, int]:
    """Delete ``case``, everything that belongs to it and the people nobody else needs.

    Runs inside the caller's transaction (``services.case_dispose``), after the before-disposal
    hooks. Returns the counts of rows destroyed, by kind of record.
    """
    walk = _Walk()
    walk.run(Case, Case._base_manager.filter(pk=case.pk), (Case,))
    candidates = _merged_records(walk.people)
    going = candidates - _people_who_stay(candidates)
    if going:
        merges = PersonMerge.objects.filter(
            models.Q(kept_id__in=going, merged_id__in=going)
            | models.Q(undone_at__isnull=False)
            & (models.Q(kept_id__in=going) | models.Q(merged_id__in=going))
        )
        merged = merges.delete()[0]
        if merged:
            walk.counts[_label(PersonMerge)] += merged
        Person._base_manager.filter(pk__in=going).update(merged_into=None)
        _total, per_model = Person._base_manager.filter(pk__in=going).delete()
        for label, n in per_model.items():
            if n:
                walk.counts[_label(apps.get_model(label))] += n
    return dict(sorted(walk.counts.items()))


def case_destroy_preview(case: Case) -> dict[str, int]:
    """What ``case_destroy`` would delete of the case's own records, without deleting anything
    (its people are counted at disposal, once it is known who else needs them)."""
    walk = _Walk(dry_run=True)
    walk.run(Case, Case._base_manager.filter(pk=case.pk), (Case,))
    return dict(sorted(walk.counts.items()))
