from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openmarac.accounts"
    label = "accounts"
