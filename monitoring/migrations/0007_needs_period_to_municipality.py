from django.db import migrations


def move_needs_period(apps, schema_editor):
    """The period a coordinator set for the newest year becomes the municipality's setting."""
    Deadline = apps.get_model("monitoring", "Deadline")
    Municipality = apps.get_model("orgs", "Municipality")
    rows = Deadline.objects.filter(kind="needs_updated").order_by("municipality_id", "-academic_year")
    seen = set()
    for row in rows:
        if row.municipality_id in seen:
            continue
        seen.add(row.municipality_id)
        days = min(max(row.within_days or 365, 30), 730)
        Municipality.objects.filter(pk=row.municipality_id).update(needs_list_period_days=days)
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0006_reports_moved_to_own_app"),
        ("orgs", "0003_municipality_needs_list_period"),
    ]

    operations = [migrations.RunPython(move_needs_period, migrations.RunPython.noop)]
