from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    from jiandu.registry import names

    Cadre = apps.get_model("registry", "Cadre")
    batch = []
    for cadre in Cadre.objects.only("pk", "name").iterator(chunk_size=2000):
        keys = names.sort_keys(cadre.name)
        cadre.sort_pinyin, cadre.sort_strokes = keys["sort_pinyin"], keys["sort_strokes"]
        # name_pinyin follows the surname readings too (曾 zeng), for search.
        syllables = names.plain_syllables(cadre.name)
        cadre.name_pinyin, cadre.name_initials = "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()
        batch.append(cadre)
        if len(batch) >= 2000:
            Cadre.objects.bulk_update(batch, ["sort_pinyin", "sort_strokes", "name_pinyin", "name_initials"])
            batch = []
    if batch:
        Cadre.objects.bulk_update(batch, ["sort_pinyin", "sort_strokes", "name_pinyin", "name_initials"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.AddField(model_name="cadre", name="sort_pinyin", field=models.CharField(blank=True, db_index=True, max_length=400)),
        migrations.AddField(model_name="cadre", name="sort_strokes", field=models.CharField(blank=True, db_index=True, max_length=300)),
        migrations.AlterModelOptions(name="cadre", options={"ordering": ["sort_pinyin", "id"], "verbose_name": "cadre"}),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
