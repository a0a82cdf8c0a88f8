from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "openmarac.research"
    label = "research"
