"""Open tour rectification items that already have a progress update were waiting for the
verification (销号); on the shared rectification blocks that state is "reported"."""

from django.db import migrations


def forward(apps, schema_editor):
    Item = apps.get_model("oversight", "RectificationItem")
    Item.objects.filter(status="open", updates__isnull=False).update(status="reported")


def backward(apps, schema_editor):
    apps.get_model("oversight", "RectificationItem").objects.filter(status="reported").update(status="open")


class Migration(migrations.Migration):
    dependencies = [("oversight", "0005_tour_rectification_on_shared_blocks")]

    operations = [migrations.RunPython(forward, backward)]
