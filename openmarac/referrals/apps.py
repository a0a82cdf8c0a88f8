from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "openmarac.referrals"
    label = "referrals"
