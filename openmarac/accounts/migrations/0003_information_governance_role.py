from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_links_to_agencies_and_partnerships"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_information_governance",
            field=models.BooleanField(
                default=False,
                help_text="The partnership's information governance lead: reviews the retention queue and is the second person of a disposal. Sees no case detail beyond what review needs.",
            ),
        ),
    ]
