from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "openmarac.retention"
    label = "retention"
    verbose_name = "Retention and disposal"
