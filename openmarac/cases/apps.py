from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "openmarac.cases"
    label = "cases"
