from django.db import migrations, models


def fill_search_keys(apps, schema_editor):
    from core.text import normalize

    Product = apps.get_model("programs", "Product")
    products = list(Product.objects.only("pk", "title", "description"))
    for product in products:
        product.search_key = normalize("{} {}".format(product.title, product.description))
    Product.objects.bulk_update(products, ["search_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_load_difficulty_areas"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_key",
            field=models.TextField(db_collation="C", default="", editable=False),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
    ]
