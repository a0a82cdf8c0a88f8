from django.apps import AppConfig


class EmergenciesConfig(AppConfig):
    name = "openmarac.emergencies"
    label = "emergencies"
