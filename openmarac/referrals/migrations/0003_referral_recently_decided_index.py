"""An index for the triage queue's "recently decided" list: the latest decisions first, read
from the index rather than by sorting every referral ever decided."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_referral_pathway_answers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=models.Q(("decided_at__isnull", False)),
                fields=["-decided_at"],
                name="referral_decided_idx",
            ),
        ),
    ]
