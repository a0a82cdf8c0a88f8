from django.apps import AppConfig


class IdvaConfig(AppConfig):
    name = "openmarac.idva"
    label = "idva"
