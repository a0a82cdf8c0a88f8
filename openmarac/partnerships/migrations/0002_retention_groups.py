import django.db.models.deletion
from django.db import migrations, models

# Each area's old retention settings become its retention groups, so that no area is left
# without a rule (the MoPI setting becomes the three groups of 000 §1.5).
MOPI_GROUPS = [
    (
        "1",
        "MoPI group 1: serious violent, serious sexual, child protection",
        "date_of_birth",
        100,
        100,
        10,
        True,
    ),
    (
        "2",
        "MoPI group 2: other violent, other sexual, drug supply",
        "last_referral",
        10,
        10,
        10,
        False,
    ),
    (
        "3",
        "MoPI group 3: acquisitive, fraud or forgery, drug possession",
        "last_referral",
        6,
        6,
        5,
        False,
    ),
]


def groups_from_old_settings(apps, schema_editor):
    AreaPolicy = apps.get_model("partnerships", "AreaPolicy")
    RetentionGroup = apps.get_model("partnerships", "RetentionGroup")
    for policy in AreaPolicy.objects.all():
        if policy.retention_rule == "mopi":
            rows = MOPI_GROUPS
        else:
            runs_from = "last_referral" if policy.retention_rule == "last_referral" else "closure"
            rows = [
                (
                    "standard",
                    f"{policy.retention_years_adult} years (adults), {policy.retention_years_child} years (children)",
                    runs_from,
                    policy.retention_years_adult,
                    policy.retention_years_child,
                    None,
                    True,
                )
            ]
        for position, (code, label, runs_from, adult, child, every, default) in enumerate(rows):
            RetentionGroup.objects.create(
                area_id=policy.area_id,
                code=code,
                label=label,
                runs_from=runs_from,
                years_adult=adult,
                years_child=child,
                review_every_years=every,
                is_default=default,
                position=position,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="areapolicy",
            name="archive_after_days",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="A closed case is archived this many days after its closure and the end of its flag period, whichever is later.",
            ),
        ),
        migrations.AddField(
            model_name="areapolicy",
            name="retention_reviewer",
            field=models.CharField(
                choices=[
                    ("hub", "The hub team"),
                    ("information_governance", "The information governance lead"),
                ],
                default="hub",
                help_text="Who reviews a case at the end of its retention period and recommends its disposal; a second person (the hub or the information governance lead) approves it.",
                max_length=25,
            ),
        ),
        migrations.CreateModel(
            name="RetentionGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text='A short name, e.g. "1" or "standard".', max_length=20
                    ),
                ),
                ("label", models.CharField(max_length=200)),
                (
                    "runs_from",
                    models.CharField(
                        choices=[
                            ("closure", "The case's closure"),
                            ("last_referral", "The last referral"),
                            ("last_hearing", "The last meeting that heard the case"),
                            ("date_of_birth", "The youngest subject's date of birth"),
                        ],
                        max_length=15,
                    ),
                ),
                ("years_adult", models.PositiveSmallIntegerField()),
                ("years_child", models.PositiveSmallIntegerField()),
                (
                    "review_every_years",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Review every this many years; empty: only at the end.",
                        null=True,
                    ),
                ),
                ("is_default", models.BooleanField(default=False)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="retention_groups",
                        to="partnerships.area",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("area", "code"), name="retention_group_code_unique"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("is_default", True)),
                        fields=("area",),
                        name="retention_group_one_default",
                    ),
                ],
            },
        ),
        migrations.RunPython(groups_from_old_settings, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="areapolicy",
            name="retention_rule",
        ),
        migrations.RemoveField(
            model_name="areapolicy",
            name="retention_years_adult",
        ),
        migrations.RemoveField(
            model_name="areapolicy",
            name="retention_years_child",
        ),
    ]
