import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import openmarac.core.fields


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agencies", "0001_initial"),
        ("cases", "0002_case_archive"),
        ("partnerships", "0003_court_objection_period"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Letter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("legal_aid", "Legal aid letter"),
                            ("housing_support", "Housing support letter"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "recipient",
                    openmarac.core.fields.EncryptedTextField(
                        help_text="Who the letter is addressed to, and where."
                    ),
                ),
                ("body", openmarac.core.fields.EncryptedTextField()),
                ("written_at", models.DateTimeField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="letters",
                        to="cases.case",
                    ),
                ),
                (
                    "recipient_agency",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="agencies.agency",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-written_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="LetterTemplate",
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
                            ("legal_aid", "Legal aid letter"),
                            ("housing_support", "Housing support letter"),
                        ],
                        max_length=20,
                    ),
                ),
                ("body", models.TextField()),
                ("updated_at", models.DateTimeField(blank=True, null=True)),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="partnerships.partnership",
                    ),
                ),
                (
                    "updated_by",
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
                "constraints": [
                    models.UniqueConstraint(
                        fields=("partnership", "kind"), name="letter_template_once"
                    )
                ],
            },
        ),
    ]
