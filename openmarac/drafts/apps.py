from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "openmarac.drafts"
    label = "drafts"
