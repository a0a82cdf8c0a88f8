from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "openmarac.letters"
    label = "letters"
