from django.db import migrations

from jipp.reference import load_regions, load_role_groups


def forwards(apps, schema_editor):
    load_regions(apps.get_model("jipp", "Region"))
    load_role_groups(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("jipp", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
