from django.db import migrations


def load(apps, schema_editor):
    from orgs.reference import load_positions

    load_positions(apps.get_model("orgs", "Position"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
