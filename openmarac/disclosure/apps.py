from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "openmarac.disclosure"
    label = "disclosure"
    verbose_name = "Subject access and court disclosure"
