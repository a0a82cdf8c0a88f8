from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo partnership, at the top of the house: it builds a fictional partnership through
    the other apps' services, and no app imports it."""

    name = "openmarac.demo"
    label = "demo"
