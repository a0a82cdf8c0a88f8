from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openmarac.core"
    label = "core"
