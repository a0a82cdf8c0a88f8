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
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CourtOrder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("court", models.CharField(max_length=200)),
                ("court_case_number", models.CharField(max_length=60)),
                (
                    "ordered",
                    openmarac.core.fields.EncryptedTextField(
                        help_text="What the order asks to be disclosed."
                    ),
                ),
                ("deadline", models.DateField()),
                ("received_on", models.DateField()),
                ("objection_due_on", models.DateField()),
                (
                    "chair_response",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not yet"),
                            ("no_objection", "No objection"),
                            ("objects", "Formal objection"),
                        ],
                        max_length=15,
                    ),
                ),
                ("chair_reason", openmarac.core.fields.EncryptedTextField(blank=True)),
                ("responded_at", models.DateTimeField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("awaiting_chair", "Waiting for the chair"),
                            ("objected", "The chair objected"),
                            ("preparing", "Preparing the bundle"),
                            ("disclosed", "Disclosed to the court"),
                        ],
                        default="awaiting_chair",
                        max_length=15,
                    ),
                ),
                ("proceed_note", openmarac.core.fields.EncryptedTextField(blank=True)),
                ("recorded_at", models.DateTimeField()),
                ("disclosed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="court_orders",
                        to="cases.case",
                    ),
                ),
                (
                    "chair",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "disclosed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["deadline", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SubjectAccessRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("reference", models.CharField(max_length=30, unique=True)),
                (
                    "requester_name",
                    openmarac.core.fields.EncryptedTextField(
                        help_text="The data subject's name, as they gave it."
                    ),
                ),
                (
                    "reply_to",
                    openmarac.core.fields.EncryptedTextField(
                        help_text="Safe contact details to send the reply to."
                    ),
                ),
                (
                    "made_by",
                    models.CharField(
                        choices=[
                            ("subject", "The data subject"),
                            ("agency", "An agency on the data subject's behalf"),
                            (
                                "representative",
                                "A solicitor or other representative with authority",
                            ),
                        ],
                        default="subject",
                        max_length=15,
                    ),
                ),
                ("received_on", models.DateField()),
                ("due_on", models.DateField()),
                ("extended_to", models.DateField(blank=True, null=True)),
                ("extension_reason", openmarac.core.fields.EncryptedTextField(blank=True)),
                (
                    "identity_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("documents", "Photo identity and proof of address seen"),
                            ("council", "Checked by the council's subject access service"),
                            ("agency", "Confirmed by an agency that knows the data subject"),
                            (
                                "authority",
                                "Representative's authority and the subject's identity seen",
                            ),
                        ],
                        max_length=15,
                    ),
                ),
                ("identity_note", openmarac.core.fields.EncryptedTextField(blank=True)),
                ("identity_checked_at", models.DateTimeField(blank=True, null=True)),
                ("subject_is_alleged_perpetrator", models.BooleanField(default=False)),
                ("gathered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("completed", "Answered"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="open",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("completed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "completed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "identity_checked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
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
                    "subject",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "ordering": ["due_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CourtItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source_key", models.CharField(max_length=60)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("details", "Personal details"),
                            ("address", "Address"),
                            ("case_role", "Named on a MARAC case"),
                            ("referral", "Referral"),
                            ("research", "Research shared by an agency"),
                            ("minutes", "MARAC minutes"),
                            ("shared", "Information shared at the meeting"),
                            ("action", "Action"),
                            ("update", "Update from an agency"),
                            ("alert", "Alert on the case"),
                        ],
                        max_length=12,
                    ),
                ),
                ("label", models.CharField(max_length=200)),
                ("text", openmarac.core.fields.EncryptedTextField()),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("disclose", "Disclose"),
                            ("redact", "Disclose with third-party information removed"),
                            ("refer", "Refer to the agency that supplied it"),
                            ("withhold", "Withhold"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "No reason needed"),
                            (
                                "third_party",
                                "It identifies other people (Data Protection Act 2018 Sch. 2 para 16)",
                            ),
                            ("other_agency", "Another agency supplied it and answers for it"),
                            (
                                "perpetrator",
                                "Not disclosed to an alleged perpetrator: it could identify the referral or the victim's location (002 §7.17)",
                            ),
                            ("safety", "Disclosure would put someone at risk of serious harm"),
                            (
                                "crime",
                                "Disclosure would prejudice the prevention or detection of crime",
                            ),
                            ("consent", "The supplying agency consented to disclosure"),
                            ("other", "Another reason (in the note)"),
                        ],
                        max_length=15,
                    ),
                ),
                ("note", openmarac.core.fields.EncryptedTextField(blank=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("position", models.PositiveIntegerField(default=0)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "supplied_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="agencies.agency",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="disclosure.courtorder",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("order", "source_key"), name="court_item_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="SarItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source_key", models.CharField(max_length=60)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("details", "Personal details"),
                            ("address", "Address"),
                            ("case_role", "Named on a MARAC case"),
                            ("referral", "Referral"),
                            ("research", "Research shared by an agency"),
                            ("minutes", "MARAC minutes"),
                            ("shared", "Information shared at the meeting"),
                            ("action", "Action"),
                            ("update", "Update from an agency"),
                            ("alert", "Alert on the case"),
                        ],
                        max_length=12,
                    ),
                ),
                ("label", models.CharField(max_length=200)),
                ("text", openmarac.core.fields.EncryptedTextField()),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("disclose", "Disclose"),
                            ("redact", "Disclose with third-party information removed"),
                            ("refer", "Refer to the agency that supplied it"),
                            ("withhold", "Withhold"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "No reason needed"),
                            (
                                "third_party",
                                "It identifies other people (Data Protection Act 2018 Sch. 2 para 16)",
                            ),
                            ("other_agency", "Another agency supplied it and answers for it"),
                            (
                                "perpetrator",
                                "Not disclosed to an alleged perpetrator: it could identify the referral or the victim's location (002 §7.17)",
                            ),
                            ("safety", "Disclosure would put someone at risk of serious harm"),
                            (
                                "crime",
                                "Disclosure would prejudice the prevention or detection of crime",
                            ),
                            ("consent", "The supplying agency consented to disclosure"),
                            ("other", "Another reason (in the note)"),
                        ],
                        max_length=15,
                    ),
                ),
                (
                    "disclosed_text",
                    openmarac.core.fields.EncryptedTextField(
                        blank=True,
                        help_text="For a redaction: the text as disclosed, third parties removed.",
                    ),
                ),
                ("note", openmarac.core.fields.EncryptedTextField(blank=True)),
                (
                    "locked",
                    models.BooleanField(
                        default=False,
                        help_text="Withheld by rule (an alleged perpetrator): cannot be disclosed.",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("position", models.PositiveIntegerField(default=0)),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "supplied_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="agencies.agency",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="disclosure.subjectaccessrequest",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("request", "source_key"), name="sar_item_once")
                ],
            },
        ),
    ]
