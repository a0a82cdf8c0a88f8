from django.apps import AppConfig


class ProceedingsConfig(AppConfig):
    name = "openmarac.proceedings"
    label = "proceedings"
