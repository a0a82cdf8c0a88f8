from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openmarac.audit"
    label = "audit"
