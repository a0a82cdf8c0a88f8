"""Indexes for the action manager: the hub's every-agency lists by due date, and the closed
actions most recently closed first, so a page of either is read without sorting them all."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["status", "due_on"], name="action_status_due_idx"),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["status", "-closed_at"], name="action_closed_idx"),
        ),
    ]
