from django.db import migrations

# The preset deviations as they stood when this migration was written (see accounts/policy.py).
PRESETS = {
    "kent-medway": {
        "allow_email_codes": True,
        "password_require_character_classes": True,
        "password_max_age_days": 90,
    },
}


def create_policies(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    SecurityPolicy = apps.get_model("accounts", "SecurityPolicy")
    for partnership in Partnership.objects.all():
        SecurityPolicy.objects.get_or_create(
            partnership=partnership, defaults=PRESETS.get(partnership.preset, {})
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_mfa_sessions_policy"),
        ("partnerships", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
