from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_retention_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="areapolicy",
            name="court_objection_working_days",
            field=models.PositiveSmallIntegerField(
                default=5,
                help_text="Working days the chair has to object to a court order for disclosure.",
            ),
        ),
    ]
