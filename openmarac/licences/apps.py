from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.db.models.signals import pre_save

if TYPE_CHECKING:
    from openmarac.accounts.models import User


def refuse_privileged_roles_outside_the_hub(
    sender: type[User], instance: User, **kwargs: object
) -> None:
    """Hub roles belong only to the hub team (000 §6.5), whatever code saves the user."""
    if instance.has_privileged_role:
        agency = instance.agency if instance.agency_id else None
        if agency is None or not agency.is_hub:
            from django.core.exceptions import ValidationError

            raise ValidationError("Only members of the hub team can hold hub roles.")


class LicencesConfig(AppConfig):
    name = "openmarac.licences"
    label = "licences"

    def ready(self) -> None:
        from openmarac.accounts.models import User
        from openmarac.core.decorators import licence_rule_register

        from .selectors import holds_live_licence

        licence_rule_register(holds_live_licence)
        pre_save.connect(
            refuse_privileged_roles_outside_the_hub,
            sender=User,
            dispatch_uid="licences.privileged_roles",
        )
