from django.apps import AppConfig


class CaseRecordConfig(AppConfig):
    name = "openmarac.caserecord"
    label = "caserecord"
