from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "openmarac.licences"
    label = "licences"
