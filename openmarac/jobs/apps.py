from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "openmarac.jobs"
    label = "jobs"
