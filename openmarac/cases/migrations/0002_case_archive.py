from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="archived_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Set when a closed case past its flag period is archived (``cases.archive``): read-only and out of every list but the hub's archive search.",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True), ("status", "closed")),
                fields=["closed_at"],
                name="case_to_archive_idx",
            ),
        ),
    ]
