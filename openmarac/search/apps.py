from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "openmarac.search"
    label = "search"
    verbose_name = "Search"
