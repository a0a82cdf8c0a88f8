from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "openmarac.partnerships"
    label = "partnerships"
