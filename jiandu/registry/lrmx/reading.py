"""Reading .lrmx uploads: one file or a zip (no bombs, no oversized members), decoded and parsed with defusedxml into a Form with per-field problems."""

import base64
import binascii
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from jiandu.core import uploads

from ..models import CadreRecord
from ..validators import birth_date_from_id, gender_from_id, id_number_problem, normalise_id_number
from .spec import (
    ETHNICITIES,
    KINSHIP,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_UPLOAD_BYTES,
    NAME_LIMIT,
    NATIVE_PLACE_LIMIT,
    POLITICS_LIMIT,
    RECORD_ELEMENTS,
    RECORD_TEXT_FIELDS,
    WORK_LIMIT,
    LrmxError,
    parse_month,
    parse_resume,
    photo_problem,
)

# --- reading ----------------------------------------------------------------------------------------


def read_upload(files) -> list[tuple[str, bytes]]:
    """[(name, bytes)] of every .lrmx in the uploaded files (each one an .lrmx or a zip of them).
    `files` are (name, bytes) pairs. Raises LrmxError for an unusable upload."""
    out: list[tuple[str, bytes]] = []
    total = 0
    for name, data in files:
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise LrmxError(_("The upload is larger than %(n)d MB.") % {"n": (MAX_UPLOAD_BYTES + 1) // (1024 * 1024)})
        if data[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
            out.extend(_zip_members(name, data))
        else:
            if len(data) > MAX_FILE_BYTES:
                raise LrmxError(_("%(file)s is larger than %(n)d MB; an .lrmx form is much smaller.") % {"file": name, "n": MAX_FILE_BYTES // (1024 * 1024)})
            out.append((name, data))
        if len(out) > MAX_FILES:
            raise LrmxError(_("At most %(n)d forms can be imported at once.") % {"n": MAX_FILES})
    if not out:
        raise LrmxError(_("No .lrmx file was found in the upload."))
    return out


def _zip_members(name: str, data: bytes) -> list[tuple[str, bytes]]:
    try:
        archive = uploads.check_package(data, not_a_zip=_("%(file)s is not a zip archive.") % {"file": name})
    except uploads.WorkbookError as exc:
        raise LrmxError(exc.message) from exc
    out = []
    with archive:
        for info in archive.infolist():
            member = info.filename
            if info.is_dir() or not member.lower().endswith(".lrmx") or member.startswith("__MACOSX/"):
                continue
            if info.file_size > MAX_FILE_BYTES:
                raise LrmxError(_("%(file)s is larger than %(n)d MB; an .lrmx form is much smaller.") % {"file": member, "n": MAX_FILE_BYTES // (1024 * 1024)})
            with archive.open(info) as handle:
                content = handle.read(MAX_FILE_BYTES + 1)
            if len(content) > MAX_FILE_BYTES:
                raise LrmxError(_("%(file)s is larger than %(n)d MB; an .lrmx form is much smaller.") % {"file": member, "n": MAX_FILE_BYTES // (1024 * 1024)})
            out.append((member.rsplit("/", 1)[-1], content))
            if len(out) > MAX_FILES:
                raise LrmxError(_("At most %(n)d forms can be imported at once.") % {"n": MAX_FILES})
    return out


_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_\-]+)[\"']", re.I)


def _decode(data: bytes) -> str:
    """The document as text. UTF-8 (with or without BOM), UTF-16 by BOM, or the GB encodings
    declared in the XML declaration. Raises UnicodeError for anything else."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    match = _DECL_RE.match(data[:200])
    declared = (match.group(1).decode("ascii").lower() if match else "utf-8").replace("_", "-")
    if declared in ("gb2312", "gbk", "gb18030", "cp936"):
        return data.decode("gb18030")
    if declared in ("utf-8", "utf8"):
        return data.decode("utf-8")
    raise UnicodeError(declared)


def _text(root, tag: str) -> str:
    element = root.find(tag)
    return (element.text or "").strip() if element is not None else ""


@dataclass
class Form:
    """One parsed file: values by key (CADRE_KEYS, RECORD_TEXT_FIELDS, age_on, filled_on),
    `resume` rows, `family` rows, `photo` bytes, and problems [(key, message)]."""

    name: str
    values: dict = field(default_factory=dict)
    resume: list = field(default_factory=list)
    family: list = field(default_factory=list)
    photo: bytes = b""
    problems: list = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        self.problems.append((key, message))


def parse(name: str, data: bytes) -> Form:
    """Read one .lrmx. A file that is no .lrmx at all gets a single "file" problem."""
    form = Form(name=name)
    try:
        text = _decode(data)
    except (UnicodeError, LookupError):
        form.problem("file", _("The file is not in a text encoding an .lrmx form uses (UTF-8 or GB18030); save it again as UTF-8."))
        return form
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        root = SafeET.fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        form.problem("file", _("The file declares a document type or entities, which .lrmx forms never do; it was refused."))
        return form
    except ET.ParseError:
        form.problem("file", _("The file is not a well-formed .lrmx form (XML)."))
        return form
    if root.find("XingMing") is None or root.find("ShenFenZheng") is None:
        form.problem("file", _("The file is not an 任免审批表 (.lrmx): it has no name or ID number."))
        return form
    _read_person(root, form)
    return form


def _read_person(root, form: Form) -> None:
    values = form.values
    values["name"] = _text(root, "XingMing")
    if not values["name"]:
        form.problem("name", _("Name is required."))
    elif len(values["name"]) > NAME_LIMIT:
        form.problem("name", _("At most %(n)d characters.") % {"n": NAME_LIMIT})
    values["id_number"] = normalise_id_number(_text(root, "ShenFenZheng"))
    problem = id_number_problem(values["id_number"])
    if problem:
        form.problem("id_number", problem)
    gender = _text(root, "XingBie")
    values["gender"] = {"男": "male", "女": "female"}.get(gender)
    if values["gender"] is None:
        form.problem("gender", _("Gender must be 男 or 女."))
    elif not problem and gender_from_id(values["id_number"]) != values["gender"]:
        form.problem("gender", _("The gender does not match the ID number."))
    born = _month_value(form, root, "ChuShengNianYue", "birth_on")
    if not problem:
        values["birth_on"] = birth_date_from_id(values["id_number"])  # the exact day
        if born and (born.year, born.month) != (values["birth_on"].year, values["birth_on"].month):
            form.problem("birth_on", _("The birth month does not match the ID number."))
    ethnicity = _text(root, "MinZu")
    if ethnicity and not ethnicity.endswith("族"):
        ethnicity += "族"
    values["ethnicity"] = ethnicity
    if ethnicity and ethnicity not in ETHNICITIES:
        form.problem("ethnicity", _("“%(value)s” is not one of the 56 ethnic groups.") % {"value": ethnicity})
    values["native_place"] = _text(root, "JiGuan")
    if len(values["native_place"]) > NATIVE_PLACE_LIMIT:
        form.problem("native_place", _("At most %(n)d characters.") % {"n": NATIVE_PLACE_LIMIT})
    party = _text(root, "RuDangShiJian")
    values["party_join_on"] = None
    if party and re.match(r"^\s*\d", party):
        values["party_join_on"] = _month_value(form, root, "RuDangShiJian", "party_join_on")
    values["work_start_on"] = _month_value(form, root, "CanJiaGongZuoShiJian", "work_start_on")
    for key in ("party_join_on", "work_start_on"):
        if values.get(key) and values.get("birth_on") and values[key] < values["birth_on"]:
            form.problem(key, _("This date is before the birth date."))
    for element, key in RECORD_ELEMENTS.items():
        values[key] = _text(root, element)
    values["current_post"] = _text(root, "XianRenZhiWu")
    values["age_on"] = _month_value(form, root, "JiSuanNianLingShiJian", "age_on")
    values["filled_on"] = _month_value(form, root, "TianBiaoShiJian", "filled_on")
    for key in RECORD_TEXT_FIELDS:
        limit = CadreRecord._meta.get_field(key).max_length
        if limit and len(values[key]) > limit:
            form.problem(key, _("At most %(n)d characters.") % {"n": limit})
    try:
        form.resume = parse_resume(_text(root, "JianLi"))
    except ValueError as exc:
        form.problem("resume", _("This resume line does not begin with a date such as 2001.09--2005.07: %(line)s") % {"line": str(exc)[:60]})
    for row in form.resume:
        if len(row["text"]) > 500:
            form.problem("resume", _("A resume line is longer than %(n)d characters.") % {"n": 500})
    _read_family(root, form)
    _read_photo(root, form)


def _month_value(form: Form, root, element: str, key: str):
    try:
        return parse_month(_text(root, element))
    except ValueError:
        form.problem(key, _("“%(value)s” is not a date such as 200109 or 2001.09.") % {"value": _text(root, element)[:30]})
        return None


def _read_family(root, form: Form) -> None:
    container = root.find("JiaTingChengYuan")
    if container is None:
        return
    for item in container.findall("Item"):
        title = _text(item, "ChengWei")
        name = _text(item, "XingMing")
        if not title and not name:
            continue
        if not name:
            form.problem("family", _("A family member (%(title)s) has no name.") % {"title": title})
            continue
        work = _text(item, "GongZuoDanWeiJiZhiWu")
        if len(name) > NAME_LIMIT or len(work) > WORK_LIMIT or len(_text(item, "ZhengZhiMianMao")) > POLITICS_LIMIT:
            form.problem(
                "family",
                _("The entry of %(name)s is too long (name at most %(name_n)d, political status %(politics_n)d, work unit and post %(work_n)d characters).")
                % {"name": name[:NAME_LIMIT], "name_n": NAME_LIMIT, "politics_n": POLITICS_LIMIT, "work_n": WORK_LIMIT},
            )
            continue
        born_text = _text(item, "ChuShengRiQi")
        try:
            born = parse_month(born_text)
        except ValueError:
            form.problem("family", _("The birth date of %(name)s is not a date such as 196503.") % {"name": name})
            born = None
        form.family.append(
            {
                "relation": KINSHIP.get(title, "other"),
                "name": name,
                "birth_on": born,
                "political_status": _text(item, "ZhengZhiMianMao"),
                "work": work,
            }
        )


def _read_photo(root, form: Form) -> None:
    encoded = "".join(_text(root, "ZhaoPian").split())
    if not encoded:
        return
    try:
        photo = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        form.problem("photo", _("The photo is not readable."))
        return
    problem = photo_problem(photo)
    if problem:
        form.problem("photo", problem)
        return
    form.photo = photo
