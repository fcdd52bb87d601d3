from django.db import migrations


def load(apps, schema_editor):
    from programs.reference import load_difficulty_areas

    load_difficulty_areas(
        apps.get_model("programs", "DifficultyArea"), apps.get_model("programs", "DifficultyItem")
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
