from django.apps import AppConfig


class CaseaccessConfig(AppConfig):
    name = "openmarac.caseaccess"
    label = "caseaccess"
