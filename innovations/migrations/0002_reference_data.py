from django.db import migrations

from innovations.reference import load_categories, load_sdgs


def forwards(apps, schema_editor):
    load_sdgs(apps.get_model("innovations", "SDG"))
    load_categories(apps.get_model("innovations", "Category"))


class Migration(migrations.Migration):
    dependencies = [("innovations", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
