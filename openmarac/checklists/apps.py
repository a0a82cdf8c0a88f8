from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "openmarac.checklists"
    label = "checklists"
