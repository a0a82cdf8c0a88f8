from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "openmarac.triage"
    label = "triage"
