"""The region as a level above the municipalities: a Region row for every region name the
municipalities carried as text, then the text field becomes a foreign key; the regional
coordinator's role names a region instead of a municipality."""

import django.db.models.deletion
from django.db import migrations, models


def regions_from_text(apps, schema_editor):
    Region = apps.get_model("orgs", "Region")
    Municipality = apps.get_model("orgs", "Municipality")
    for name in (
        Municipality.objects.exclude(region_name="")
        .values_list("region_name", flat=True)
        .distinct()
    ):
        region, _created = Region.objects.get_or_create(name=name)
        Municipality.objects.filter(region_name=name).update(region=region)


def regions_to_text(apps, schema_editor):
    Municipality = apps.get_model("orgs", "Municipality")
    for municipality in Municipality.objects.filter(region__isnull=False).select_related("region"):
        municipality.region_name = municipality.region.name
        municipality.save(update_fields=["region_name"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0008_merge_i12")]

    operations = [
        migrations.CreateModel(
            name="Region",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                (
                    "authority_name",
                    models.CharField(
                        blank=True,
                        help_text="As printed on the regional report: Министерство образования и науки …",
                        max_length=300,
                        verbose_name="regional education authority",
                    ),
                ),
                (
                    "head_name",
                    models.CharField(
                        blank=True,
                        help_text="Initials and surname, as signed: И. О. Фамилия.",
                        max_length=200,
                        verbose_name="head of the authority",
                    ),
                ),
                (
                    "head_position",
                    models.CharField(blank=True, max_length=300, verbose_name="head's position"),
                ),
                (
                    "coordinator_name",
                    models.CharField(
                        blank=True,
                        help_text="Initials and surname, as signed: И. О. Фамилия.",
                        max_length=200,
                        verbose_name="regional coordinator",
                    ),
                ),
                (
                    "coordinator_position",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="coordinator's position"
                    ),
                ),
            ],
            options={
                "verbose_name": "region",
                "verbose_name_plural": "regions",
                "ordering": ["name"],
            },
        ),
        migrations.RenameField("municipality", "region", "region_name"),
        migrations.AddField(
            model_name="municipality",
            name="region",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="municipalities",
                to="orgs.region",
                verbose_name="region",
            ),
        ),
        migrations.RunPython(regions_from_text, regions_to_text),
        migrations.RemoveField("municipality", "region_name"),
        migrations.RemoveConstraint(model_name="roleassignment", name="role_assignment_unique"),
        migrations.RemoveConstraint(
            model_name="roleassignment", name="role_assignment_scope_matches_role"
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="region",
            field=models.ForeignKey(
                blank=True,
                help_text="For the regional coordinator only.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="role_assignments",
                to="orgs.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="roleassignment",
            name="municipality",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="role_assignments",
                to="orgs.municipality",
                verbose_name="municipality",
            ),
        ),
        migrations.AlterField(
            model_name="roleassignment",
            name="role",
            field=models.CharField(
                choices=[
                    ("regional", "regional coordinator"),
                    ("coordinator", "municipal coordinator"),
                    ("specialist", "committee specialist"),
                    ("head", "head of organization"),
                    ("curator", "curator"),
                    ("mentor", "mentor"),
                    ("mentee", "mentee"),
                ],
                max_length=16,
                verbose_name="role",
            ),
        ),
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.UniqueConstraint(
                fields=(
                    "user",
                    "role",
                    "region",
                    "municipality",
                    "organization_kind",
                    "organization",
                ),
                name="role_assignment_unique",
                nulls_distinct=False,
                violation_error_message="This user already has this role.",
            ),
        ),
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("municipality__isnull", True),
                        ("organization__isnull", True),
                        ("organization_kind", ""),
                        ("region__isnull", False),
                        ("role", "regional"),
                    ),
                    models.Q(
                        ("municipality__isnull", False),
                        ("region__isnull", True),
                        models.Q(
                            models.Q(
                                ("organization__isnull", True),
                                ("organization_kind", ""),
                                ("role", "coordinator"),
                            ),
                            models.Q(
                                ("organization__isnull", True),
                                ("role", "specialist"),
                                models.Q(("organization_kind", ""), _negated=True),
                            ),
                            models.Q(
                                ("organization__isnull", False),
                                ("organization_kind", ""),
                                ("role__in", ["head", "curator", "mentor", "mentee"]),
                            ),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="role_assignment_scope_matches_role",
                violation_error_message="A regional coordinator covers the region, a coordinator the municipality, a specialist one kind of organizations, the other roles one organization.",
            ),
        ),
    ]
