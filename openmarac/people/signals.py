"""Keep every person's blocking keys in step with their details, however they were saved."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .keys import person_keys_rebuild
from .models import Person, PersonAddress


@receiver(post_save, sender=Person, dispatch_uid="people.person_keys")
def _person_saved(sender: Any, instance: Person, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        person_keys_rebuild(person_id=instance.pk)


@receiver(post_save, sender=PersonAddress, dispatch_uid="people.address_keys_saved")
@receiver(post_delete, sender=PersonAddress, dispatch_uid="people.address_keys_deleted")
def _address_changed(
    sender: Any, instance: PersonAddress, raw: bool = False, **kwargs: Any
) -> None:
    if raw or _person_being_deleted(kwargs.get("origin")):
        return
    person_keys_rebuild(person_id=instance.person_id)


def _person_being_deleted(origin: object) -> bool:
    """Whether an address goes because its person is being deleted (their keys go with them)."""
    if isinstance(origin, Person):
        return True
    return isinstance(origin, QuerySet) and origin.model is Person
