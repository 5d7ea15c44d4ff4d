from django.db import migrations

from jipp.reference import load_maturity_questions


def forwards(apps, schema_editor):
    load_maturity_questions(apps.get_model("jipp", "MaturityQuestion"), apps.get_model("jipp", "MaturityOption"))


class Migration(migrations.Migration):
    dependencies = [("jipp", "0003_hub_memberships_activities_maturity_notices")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
