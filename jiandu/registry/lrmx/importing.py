"""The registry's side of an import: each file compared with the registry (matched by ID number), then all files stored or none."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import Cadre, CadreRecord, Relative, ResumeLine, Tenure, Unit
from .reading import Form, parse
from .spec import CADRE_KEYS, DATE_RECORD_KEYS, KINSHIP_OUT, LABELS, RECORD_TEXT_FIELDS, UNIT_LIMIT, format_month, resume_text

# --- the registry's side ----------------------------------------------------------------------------


def computed_post(cadre: Cadre) -> str:
    """现任职务 from current tenures: "教育局局长、党组书记" style."""
    tenures = Tenure.objects.filter(cadre=cadre, ended_on__isnull=True).select_related("position__unit").order_by("-position__is_principal", "started_on", "id")
    return "、".join(f"{t.position.unit.label}{t.position.title}" for t in tenures)


APPRAISAL_YEARS = 3
GRADE_WORDS = {"excellent": "优秀", "competent": "称职", "basically_competent": "基本称职", "incompetent": "不称职", "no_grade": "不定等次"}


def computed_appraisals(cadre: Cadre) -> str:
    """年度考核结果 of the last three confirmed annual appraisals: "2023年度考核称职；2024年度考核优秀"."""
    from ..hooks import appraisal_results

    rows = appraisal_results(cadre, APPRAISAL_YEARS)
    return "；".join(f"{year}年度考核{GRADE_WORDS.get(grade, '')}" for year, grade in reversed(list(rows)))


def cadre_record(cadre: Cadre) -> CadreRecord:
    if not cadre.pk:
        return CadreRecord()
    try:
        return cadre.record
    except CadreRecord.DoesNotExist:
        return CadreRecord(cadre=cadre)


def _family_of(cadre: Cadre) -> list[dict]:
    return [
        {"relation": r.relation, "name": r.name, "birth_on": r.birth_on, "political_status": r.political_status, "work": f"{r.work_unit}{r.post}"}
        for r in cadre.relatives.filter(is_removed=False).order_by("id")
    ]


def current_values(cadre: Cadre) -> dict:
    """The registry's record of `cadre` in the keys of Form.values (plus resume, family, photo)."""
    record = cadre_record(cadre)
    values = {key: getattr(cadre, key) for key in CADRE_KEYS}
    for key in RECORD_TEXT_FIELDS + DATE_RECORD_KEYS:
        values[key] = getattr(record, key)
    values["current_post"] = record.current_post or computed_post(cadre) if cadre.pk else record.current_post
    values["appraisals"] = record.appraisals or computed_appraisals(cadre) if cadre.pk else record.appraisals
    values["resume"] = [{"start": r.start, "end": r.end, "text": r.text} for r in cadre.resume_lines.all()] if cadre.pk else []
    values["family"] = _family_of(cadre) if cadre.pk else []
    values["photo"] = bytes(record.photo_data or b"")
    return values


def _same_month(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and (a.year, a.month) == (b.year, b.month))


def _show(key: str, value) -> str:
    if key == "gender":
        return {"male": "男", "female": "女"}.get(value, "")
    if key == "resume":
        return resume_text(value)
    if key == "family":
        return "\n".join(
            f"{KINSHIP_OUT.get(r['relation'], '配偶')} {r['name']} {format_month(r['birth_on'])} {r['political_status']} {r['work']}".strip() for r in value
        )
    if key == "photo":
        return _("photo (%(n)d KB)") % {"n": max(1, len(value) // 1024)} if value else ""
    if isinstance(value, dt.date):
        return value.isoformat() if key == "birth_on" else format_month(value)
    return value or ""


def differences(old: dict, form: Form) -> list[str]:
    """Keys whose value in `form` differs from `old` (months compared by month; the birth day
    comes from the ID number)."""
    new = form.values
    changed = []
    for key in CADRE_KEYS + RECORD_TEXT_FIELDS + DATE_RECORD_KEYS:
        if key in ("party_join_on", "work_start_on", "age_on", "filled_on"):
            if not _same_month(old.get(key), new.get(key)):
                changed.append(key)
        elif key == "current_post":
            if (new.get(key) or "") != (old.get(key) or ""):
                changed.append(key)
        elif (old.get(key) or "") != (new.get(key) or ""):
            changed.append(key)
    if old["resume"] != form.resume:
        changed.append("resume")
    if [dict(r, birth_on=format_month(r["birth_on"])) for r in old["family"]] != [dict(r, birth_on=format_month(r["birth_on"])) for r in form.family]:
        changed.append("family")
    if form.photo and form.photo != old["photo"]:
        changed.append("photo")
    return changed


@dataclass
class Plan:
    """What an import would do, file by file (for the preview)."""

    files: list = field(default_factory=list)  # dicts: name, cadre (name), new, changes [(label, old, new)], errors [(label, message)]

    @property
    def error_count(self) -> int:
        return sum(len(f["errors"]) for f in self.files)


def plan(*, actor, files: list[tuple[str, bytes]], unit: Unit | None, mask) -> tuple[Plan, list[Form]]:
    """Parse and compare every file; nothing is written. `mask(cadre_or_None, key, text)` hides
    what the viewer may not see."""
    result = Plan()
    forms = []
    seen: dict[str, str] = {}
    for name, data in files:
        form = parse(name, data)
        forms.append(form)
        entry = {"name": name, "cadre": form.values.get("name", ""), "new": False, "changes": [], "errors": []}
        result.files.append(entry)
        number = form.values.get("id_number")
        if number and number in seen and not any(k == "id_number" for k, _m in form.problems):
            form.problem("id_number", _("The same ID number is already in %(file)s of this upload.") % {"file": seen[number]})
        elif number:
            seen[number] = name
        cadre = Cadre.objects.select_related("unit").filter(id_number=number).first() if number else None
        if form.values and not form.problems:
            if cadre is not None and not access.can(actor, "registry.manage", cadre.unit):
                form.problem("id_number", _("A cadre with this ID number is registered outside the units you manage."))
            elif cadre is None and unit is None:
                form.problem("file", _("This cadre is not in the registry yet; choose the unit to register new cadres in."))
            elif cadre is None and not access.can(actor, "registry.manage", unit):
                form.problem("file", _("You do not manage the unit chosen for new cadres."))
            elif cadre is None and not unit.is_active:
                form.problem("file", _("The unit %(unit)s is inactive; cadres cannot be registered in it.") % {"unit": unit.name})
        entry["errors"] = [(str(LABELS[key]), message) for key, message in form.problems]
        if form.problems:
            continue
        old = current_values(cadre) if cadre else current_values(Cadre(name=""))
        entry["new"] = cadre is None
        for key in differences(old, form) if cadre else [k for k in differences(old, form) if form.values.get(k) or k in ("resume", "family", "photo")]:
            new_value = form.photo if key == "photo" else form.resume if key == "resume" else form.family if key == "family" else form.values[key]
            entry["changes"].append((str(LABELS[key]), mask(cadre, key, _show(key, old.get(key))), mask(cadre, key, _show(key, new_value))))
    return result, forms


def apply_plan(*, actor, files: list[tuple[str, bytes]], unit: Unit | None, source: str) -> dict:
    """Store every file or none. Raises ActionError (with the first problem) when any file is refused."""
    try:
        return _apply_plan(actor=actor, files=files, unit=unit, source=source)
    except IntegrityError as exc:  # a cadre with one of these ID numbers was registered meanwhile
        raise ActionError(_("Another cadre already has this ID number.")) from exc


def _apply_plan(*, actor, files, unit, source) -> dict:
    with transaction.atomic():
        result, forms = plan(actor=actor, files=files, unit=unit, mask=lambda cadre, key, text: text)
        for entry in result.files:
            if entry["errors"]:
                label, message = entry["errors"][0]
                raise ActionError(_("%(file)s: %(field)s: %(message)s") % {"file": entry["name"], "field": label, "message": message})
        created = updated = 0
        for form in forms:
            cadre = Cadre.objects.select_for_update().filter(id_number=form.values["id_number"]).first()
            if cadre is None:
                _store(actor, form, None, unit, source)
                created += 1
            elif _store(actor, form, cadre, unit, source):
                updated += 1
    return {"created": created, "updated": updated, "unchanged": len(forms) - created - updated}


def _education_choice(*texts: str) -> str | None:
    joined = "".join(texts)
    for word, choice in (
        ("博士", "doctorate"),
        ("硕士", "master"),
        ("研究生", "master"),
        ("大学", "bachelor"),
        ("本科", "bachelor"),
        ("大专", "college"),
        ("专科", "college"),
        ("中专", "secondary"),
        ("高中", "secondary"),
    ):
        if word in joined:
            return choice
    return None


def _store(actor, form: Form, cadre: Cadre | None, unit: Unit | None, source: str) -> bool:
    from ..actions import pinyin_of

    values = form.values
    is_new = cadre is None
    if is_new:
        access.require(actor, "registry.manage", unit)
        name_pinyin, initials = pinyin_of(values["name"])
        cadre = Cadre.objects.create(
            unit=unit,
            name=values["name"],
            name_pinyin=name_pinyin,
            name_initials=initials,
            gender=values["gender"],
            ethnicity=values["ethnicity"] or "汉族",
            birth_on=values["birth_on"],
            native_place=values["native_place"],
            id_number=values["id_number"],
            party_join_on=values["party_join_on"],
            work_start_on=values["work_start_on"],
            political_status=Cadre.PoliticalStatus.CPC if values["party_join_on"] else Cadre.PoliticalStatus.NONE,
            education=_education_choice(values["fulltime_education"], values["parttime_education"]) or Cadre.Education.BACHELOR,
        )
        changed = [k for k in differences(current_values(Cadre(name="")), form)]
    else:
        access.require(actor, "registry.manage", cadre.unit)
        old = current_values(cadre)
        changed = differences(old, form)
        if not changed:
            return False
        cadre_changes = [k for k in changed if k in CADRE_KEYS]
        for key in cadre_changes:
            setattr(cadre, key, values[key])
        if "name" in cadre_changes:
            cadre.name_pinyin, cadre.name_initials = pinyin_of(cadre.name)
        if cadre_changes:
            cadre.save()
    record = cadre_record(cadre)
    for key in RECORD_TEXT_FIELDS + DATE_RECORD_KEYS:
        setattr(record, key, values[key])
    if record.current_post == computed_post(cadre):
        record.current_post = ""  # keep following the tenures
    if record.appraisals == computed_appraisals(cadre):
        record.appraisals = ""  # keep following the appraisals
    if form.photo:
        record.photo_data = form.photo
    record.save()
    if "resume" in changed or is_new:
        replace_resume(cadre, form.resume)
    if "family" in changed:
        _replace_family(cadre, form.family)
    journal.record(
        "registry.cadre.lrmx_imported",
        actor=actor,
        target=cadre,
        unit=cadre.unit,
        cadre=cadre,
        data={
            "new": is_new,
            "changed": [k for k in changed if k != "id_number"] + (["id_number"] if "id_number" in changed else []),
            "file": form.name[:100],
            "source": source[:100],
        },
    )
    return True


def replace_resume(cadre: Cadre, rows: list[dict]) -> None:
    ResumeLine.objects.filter(cadre=cadre).delete()
    ResumeLine.objects.bulk_create([ResumeLine(cadre=cadre, order=i, start=r["start"], end=r["end"], text=r["text"]) for i, r in enumerate(rows)])


def _replace_family(cadre: Cadre, rows: list[dict]) -> None:
    """Existing members matched by relation and name are updated; members not in the file are
    marked removed (kept for history); new ones added."""
    existing = {(r.relation, r.name): r for r in cadre.relatives.filter(is_removed=False)}
    for row in rows:
        relative = existing.pop((row["relation"], row["name"]), None)
        if relative is None:
            Relative.objects.create(
                cadre=cadre,
                relation=row["relation"],
                name=row["name"],
                birth_on=row["birth_on"],
                work_unit=row["work"][:UNIT_LIMIT],
                post=row["work"][UNIT_LIMIT:],
                political_status=row["political_status"],
            )
            continue
        if not _same_month(relative.birth_on, row["birth_on"]):
            relative.birth_on = row["birth_on"]
        relative.political_status = row["political_status"]
        if f"{relative.work_unit}{relative.post}" != row["work"]:
            relative.work_unit, relative.post = row["work"][:UNIT_LIMIT], row["work"][UNIT_LIMIT:]
        relative.save()
    for relative in existing.values():
        relative.is_removed = True
        relative.save(update_fields=["is_removed"])
