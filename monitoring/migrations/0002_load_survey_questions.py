from django.db import migrations


def load(apps, schema_editor):
    from monitoring.reference import load_survey_questions

    load_survey_questions(apps.get_model("monitoring", "SurveyQuestion"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
