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


# 2019 reform (公务员职务与职级并行): the old single "rank" mixed leadership levels and ranks.
# Leadership levels move to leadership_level; the rank stays empty ("not recorded") rather than
# being guessed; the old 科员 ("staff") does not say which grade, so it is not recorded either.
LEVELS = {"section_deputy", "section_chief", "county_deputy", "county_chief"}
KEPT_RANKS = {"principal_staff_4", "principal_staff_1", "researcher_4"}


def split_levels_and_ranks(apps, schema_editor):
    Cadre = apps.get_model("registry", "Cadre")
    Position = apps.get_model("registry", "Position")
    for level in LEVELS:
        Cadre.objects.filter(rank=level).update(leadership_level=level, rank="")
    Cadre.objects.exclude(rank__in=KEPT_RANKS).exclude(rank="").update(rank="")
    Position.objects.exclude(level__in=LEVELS).exclude(level="").update(level="")


def join_levels_and_ranks(apps, schema_editor):
    Cadre = apps.get_model("registry", "Cadre")
    Position = apps.get_model("registry", "Position")
    for level in LEVELS:
        Cadre.objects.filter(leadership_level=level).update(rank=level)
    Cadre.objects.filter(rank="").update(rank="staff")
    Position.objects.filter(level="").update(level="staff")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.AddField(model_name="cadre", name="sort_pinyin", field=models.CharField(blank=True, db_index=True, max_length=400)),
        migrations.AddField(model_name="cadre", name="sort_strokes", field=models.CharField(blank=True, db_index=True, max_length=300)),
        migrations.AlterModelOptions(name="cadre", options={"ordering": ["sort_pinyin", "id"], "verbose_name": "cadre"}),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AddField(
            model_name="cadre",
            name="leadership_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("section_deputy", "deputy township/section level (乡科级副职)"),
                    ("section_chief", "township/section level (乡科级正职)"),
                    ("county_deputy", "deputy county/division level (县处级副职)"),
                    ("county_chief", "county/division level (县处级正职)"),
                    ("bureau_deputy", "deputy department/bureau level (厅局级副职)"),
                    ("bureau_chief", "department/bureau level (厅局级正职)"),
                ],
                max_length=32,
                verbose_name="leadership level",
            ),
        ),
        migrations.AlterField(
            model_name="cadre",
            name="rank",
            field=models.CharField(
                blank=True,
                choices=[
                    ("inspector_1", "first-grade inspector (一级巡视员)"),
                    ("inspector_2", "second-grade inspector (二级巡视员)"),
                    ("researcher_1", "first-grade researcher (一级调研员)"),
                    ("researcher_2", "second-grade researcher (二级调研员)"),
                    ("researcher_3", "third-grade researcher (三级调研员)"),
                    ("researcher_4", "fourth-grade researcher (四级调研员)"),
                    ("principal_staff_1", "first-grade principal staff (一级主任科员)"),
                    ("principal_staff_2", "second-grade principal staff (二级主任科员)"),
                    ("principal_staff_3", "third-grade principal staff (三级主任科员)"),
                    ("principal_staff_4", "fourth-grade principal staff (四级主任科员)"),
                    ("clerk_1", "first-grade clerk (一级科员)"),
                    ("clerk_2", "second-grade clerk (二级科员)"),
                    ("not_civil_servant", "not a civil servant (非公务员)"),
                ],
                max_length=32,
                verbose_name="rank",
            ),
        ),
        migrations.AlterField(
            model_name="position",
            name="kind",
            field=models.CharField(
                choices=[("leading", "leading"), ("non_leading", "rank post (职级岗位)")], default="leading", max_length=16, verbose_name="kind"
            ),
        ),
        migrations.AlterField(
            model_name="position",
            name="level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("section_deputy", "deputy township/section level (乡科级副职)"),
                    ("section_chief", "township/section level (乡科级正职)"),
                    ("county_deputy", "deputy county/division level (县处级副职)"),
                    ("county_chief", "county/division level (县处级正职)"),
                    ("bureau_deputy", "deputy department/bureau level (厅局级副职)"),
                    ("bureau_chief", "department/bureau level (厅局级正职)"),
                ],
                default="section_chief",
                max_length=32,
                verbose_name="leadership level",
            ),
        ),
        migrations.RunPython(split_levels_and_ranks, join_levels_and_ranks),
    ]
