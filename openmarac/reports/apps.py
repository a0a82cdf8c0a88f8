from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "openmarac.reports"
    label = "reports"
    verbose_name = "Reports"
