from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "openmarac.workspace"
    label = "workspace"
