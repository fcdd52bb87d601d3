from django.db import migrations


def load(apps, schema_editor):
    from mentoring.reference import load_forms

    load_forms(apps.get_model("mentoring", "MentoringForm"))


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
