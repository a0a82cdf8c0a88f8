from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "openmarac.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from openmarac.core.hooks import register_before_disposal

        from .services import figures_keep_before_disposal

        # Retention deletes a disposed case's facts with it: freeze what counted it first.
        register_before_disposal(figures_keep_before_disposal)
