"""Indexes for two list pages: the cases list (a partnership's cases newest first, a page at a
time) and the restricted cases page of case access (only the restricted few, by reference)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_case_archive"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["partnership", "-created_at"], name="case_list_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("restriction", ""), _negated=True),
                fields=["reference"],
                name="case_restricted_idx",
            ),
        ),
    ]
