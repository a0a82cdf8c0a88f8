from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "openmarac.agencies"
    label = "agencies"
