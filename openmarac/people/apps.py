from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "openmarac.people"
    label = "people"
