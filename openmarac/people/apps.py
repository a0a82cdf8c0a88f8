from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "openmarac.people"
    label = "people"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the key-maintenance receivers)
