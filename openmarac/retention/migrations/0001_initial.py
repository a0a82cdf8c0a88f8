import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import openmarac.core.fields


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0002_case_archive"),
        ("partnerships", "0002_retention_groups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DisposalCertificate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("case_reference", models.CharField(db_index=True, max_length=30)),
                (
                    "case_created_at",
                    models.DateTimeField(
                        help_text="With the reference, tells the disposed case from a later one that might be given the same reference after a restore."
                    ),
                ),
                ("case_opened_on", models.DateField(blank=True, null=True)),
                ("case_closed_on", models.DateField(blank=True, null=True)),
                ("last_referred_on", models.DateField(blank=True, null=True)),
                ("archived_on", models.DateField(blank=True, null=True)),
                ("had_children", models.BooleanField(default=False)),
                ("restriction", models.CharField(blank=True, max_length=10)),
                ("group_code", models.CharField(blank=True, max_length=20)),
                (
                    "rule",
                    models.CharField(
                        help_text="The retention rule applied, in words.", max_length=400
                    ),
                ),
                ("retention_ended_on", models.DateField(blank=True, null=True)),
                ("recommended_at", models.DateTimeField(blank=True, null=True)),
                ("approved_at", models.DateTimeField(blank=True, null=True)),
                ("disposed_at", models.DateTimeField(db_index=True)),
                ("counts", models.JSONField(default=dict)),
                (
                    "reapplied_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When a restored backup brought the case back and it was disposed of again.",
                        null=True,
                    ),
                ),
                (
                    "approved_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "area",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="partnerships.area",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="partnerships.partnership",
                    ),
                ),
                (
                    "recommended_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-disposed_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="RetentionDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("scheduled", "Scheduled for review"),
                            ("due", "Fell due for review"),
                            ("extend", "Kept until a later review"),
                            ("hold", "Legal hold placed"),
                            ("lift", "Legal hold lifted"),
                            ("group", "Moved to another retention group"),
                            ("recommend", "Disposal recommended"),
                            ("reject", "Recommendation not approved"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("court", "A live court case"),
                            ("dardr", "A domestic abuse related death review"),
                            ("statutory_review", "Another statutory review (e.g. safeguarding)"),
                            ("investigation", "A police investigation"),
                            ("subject_access", "A subject access request in progress"),
                            ("still_needed", "Still needed for the rule's purpose"),
                            ("period_ended", "The retention period has ended"),
                            ("other", "Another reason"),
                        ],
                        max_length=20,
                    ),
                ),
                ("detail", openmarac.core.fields.EncryptedTextField(blank=True)),
                ("until", models.DateField(blank=True, null=True)),
                ("group_code", models.CharField(blank=True, max_length=20)),
                ("at", models.DateTimeField()),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="retention_decisions",
                        to="cases.case",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CaseRetention",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("group_code", models.CharField(max_length=20)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("scheduled", "Waiting for its review date"),
                            ("due", "Due for review"),
                            ("recommended", "Disposal recommended: waiting for a second person"),
                        ],
                        default="scheduled",
                        max_length=12,
                    ),
                ),
                ("review_on", models.DateField()),
                (
                    "ends_on",
                    models.DateField(
                        blank=True,
                        help_text="The end of the retention period where the case's own dates give it; empty when it runs from a date of birth (worked out at review, never stored).",
                        null=True,
                    ),
                ),
                ("scheduled_at", models.DateTimeField()),
                ("due_at", models.DateTimeField(blank=True, null=True)),
                ("recommended_at", models.DateTimeField(blank=True, null=True)),
                ("held_at", models.DateTimeField(blank=True, null=True)),
                (
                    "hold_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("court", "A live court case"),
                            ("dardr", "A domestic abuse related death review"),
                            ("statutory_review", "Another statutory review (e.g. safeguarding)"),
                            ("investigation", "A police investigation"),
                            ("subject_access", "A subject access request in progress"),
                            ("still_needed", "Still needed for the rule's purpose"),
                            ("period_ended", "The retention period has ended"),
                            ("other", "Another reason"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="retention",
                        to="cases.case",
                    ),
                ),
                (
                    "held_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "recommended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["state", "review_on"], name="retention_review_idx")
                ],
            },
        ),
    ]
