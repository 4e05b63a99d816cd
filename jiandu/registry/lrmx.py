""".lrmx files (任免审批表 3.0): read, check, store and write the cadre record of the 干部任免审批表.

An .lrmx file is an XML document whose elements carry pinyin names (XingMing, ShenFenZheng, …).
Reading: `read_upload` turns one file or a zip of files into (name, bytes) pairs, refusing zip
bombs and oversized members (core.uploads); `parse` reads one document with defusedxml (no DTD,
no entities) after decoding it (UTF-8/16 or the GB encodings the form editor writes) and returns
the values plus per-field problems. `plan` compares every file with the registry (matched by ID
number) and `apply_plan` stores all files or none, one journal entry per cadre.
Writing: `build(cadre)` gives the bytes of one file; `export_archive` a zip of several.
"""

import base64
import binascii
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import journal, uploads
from jiandu.core.errors import ActionError

from .models import Cadre, CadreRecord, Relative, ResumeLine, Tenure, Unit
from .validators import birth_date_from_id, gender_from_id, id_number_problem, normalise_id_number

MAX_FILE_BYTES = 4 * 1024 * 1024  # one form with a photo is well under 1 MB
MAX_FILES = 300
MAX_UPLOAD_BYTES = 100 * 1024 * 1024 - 1  # a 100 MB upload is refused
MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_PHOTO_SIDE = 4000  # pixels: a 2-inch photo scanned at 1200 dpi is under 2000
NAME_LIMIT = Cadre._meta.get_field("name").max_length
NATIVE_PLACE_LIMIT = Cadre._meta.get_field("native_place").max_length
UNIT_LIMIT = Relative._meta.get_field("work_unit").max_length
WORK_LIMIT = UNIT_LIMIT + Relative._meta.get_field("post").max_length  # 工作单位及职务 fills both
POLITICS_LIMIT = Relative._meta.get_field("political_status").max_length

ETHNICITIES = frozenset(
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 "
    "佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 "
    "阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 "
    "珞巴族 基诺族".split()
)

# Record text fields: element → CadreRecord field.
RECORD_ELEMENTS = {
    "ChuShengDi": "birthplace",
    "JianKangZhuangKuang": "health",
    "ZhuanYeJiShuZhiWu": "professional_title",
    "ShuXiZhuanYeYouHeZhuanChang": "specialty",
    "QuanRiZhiJiaoYu_XueLi": "fulltime_education",
    "QuanRiZhiJiaoYu_XueWei": "fulltime_degree",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "fulltime_school",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "fulltime_degree_school",
    "ZaiZhiJiaoYu_XueLi": "parttime_education",
    "ZaiZhiJiaoYu_XueWei": "parttime_degree",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "parttime_school",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "parttime_degree_school",
    "NiRenZhiWu": "proposed_post",
    "NiMianZhiWu": "proposed_removal",
    "JiangChengQingKuang": "rewards",
    "NianDuKaoHeJieGuo": "appraisals",
    "RenMianLiYou": "reason",
    "ChengBaoDanWei": "reporting_unit",
    "TianBiaoRen": "filled_by",
}
RECORD_TEXT_FIELDS = tuple(RECORD_ELEMENTS.values()) + ("current_post",)

# 称谓 → relation, and relation → the 称谓 written on export.
KINSHIP = {
    "妻子": "spouse",
    "丈夫": "spouse",
    "配偶": "spouse",
    "爱人": "spouse",
    "父亲": "father",
    "母亲": "mother",
    "儿子": "son",
    "长子": "son",
    "次子": "son",
    "女儿": "daughter",
    "长女": "daughter",
    "次女": "daughter",
    "哥哥": "brother",
    "弟弟": "brother",
    "兄弟": "brother",
    "姐姐": "sister",
    "妹妹": "sister",
    "姐妹": "sister",
    "岳父": "father_in_law",
    "公公": "father_in_law",
    "岳母": "mother_in_law",
    "婆婆": "mother_in_law",
    "女婿": "son_in_law",
    "儿媳": "daughter_in_law",
}
KINSHIP_OUT = {
    "father": "父亲",
    "mother": "母亲",
    "son": "儿子",
    "daughter": "女儿",
    "brother": "兄弟",
    "sister": "姐妹",
    "father_in_law": "岳父",
    "mother_in_law": "岳母",
    "son_in_law": "女婿",
    "daughter_in_law": "儿媳",
    "other": "其他亲属",
}

LABELS = {
    "name": gettext_lazy("name"),
    "gender": gettext_lazy("gender"),
    "birth_on": gettext_lazy("birth date"),
    "ethnicity": gettext_lazy("ethnicity"),
    "native_place": gettext_lazy("native place"),
    "id_number": gettext_lazy("ID number"),
    "party_join_on": gettext_lazy("joined the party"),
    "work_start_on": gettext_lazy("started work"),
    "birthplace": gettext_lazy("birthplace"),
    "health": gettext_lazy("health"),
    "professional_title": gettext_lazy("professional and technical post"),
    "specialty": gettext_lazy("expertise"),
    "fulltime_education": gettext_lazy("full-time education"),
    "fulltime_degree": gettext_lazy("full-time degree"),
    "fulltime_school": gettext_lazy("full-time school and major"),
    "fulltime_degree_school": gettext_lazy("full-time degree school and major"),
    "parttime_education": gettext_lazy("in-service education"),
    "parttime_degree": gettext_lazy("in-service degree"),
    "parttime_school": gettext_lazy("in-service school and major"),
    "parttime_degree_school": gettext_lazy("in-service degree school and major"),
    "current_post": gettext_lazy("current post (as printed)"),
    "proposed_post": gettext_lazy("proposed post"),
    "proposed_removal": gettext_lazy("proposed removal"),
    "rewards": gettext_lazy("rewards and penalties"),
    "appraisals": gettext_lazy("annual appraisal results"),
    "reason": gettext_lazy("reason for appointment or removal"),
    "reporting_unit": gettext_lazy("reporting unit"),
    "filled_by": gettext_lazy("form filled by"),
    "age_on": gettext_lazy("age counted on"),
    "filled_on": gettext_lazy("form filled on"),
    "resume": gettext_lazy("resume"),
    "family": gettext_lazy("family members and important social relations"),
    "photo": gettext_lazy("photo"),
    "file": gettext_lazy("file"),
}
CADRE_KEYS = ("name", "gender", "birth_on", "ethnicity", "native_place", "id_number", "party_join_on", "work_start_on")
DATE_RECORD_KEYS = ("age_on", "filled_on")


class LrmxError(Exception):
    """The upload as a whole cannot be used."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- dates and resume lines -----------------------------------------------------------------------

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:[.．\-/年]\s*)?(\d{1,2})\s*(?:[.．\-/月]\s*(?:(\d{1,2})\s*日?)?)?\s*$")
_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})?\s*$")


def parse_month(text: str) -> dt.date | None:
    """yyyyMM, yyyy.MM, yyyy.M, yyyy-MM, yyyy年MM月, yyyyMMdd → a date (day 1 unless given).
    Raises ValueError when the text is no such date; returns None for empty text."""
    text = (text or "").strip()
    if not text:
        return None
    match = _COMPACT_RE.match(text) or _MONTH_RE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    return dt.date(year, month, day)  # ValueError for month 13 and the like


def format_month(value: dt.date | None, sep: str = ".") -> str:
    return f"{value.year:04d}{sep}{value.month:02d}" if value else ""


def format_day(value: dt.date | None) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}" if value else ""


# Dashes people type between the two dates: -- — — – ― ─ ～ ~ 至 －, one or more, with spaces.
_DASHES = r"(?:\s*(?:-|—|–|―|─|－|~|～|〜|至(?!今))+\s*)"
_YM = r"(\d{4})\s*[.．。、/\-年]?\s*(\d{1,2})\s*月?"
_RESUME_RE = re.compile(rf"^\s*{_YM}{_DASHES}(?:{_YM}|至今|今)?\s*(.*)$")  # "至今": to date


def parse_resume(text: str) -> list[dict]:
    """Resume text → [{"start": "2001.09", "end": "2005.07" or "", "text": "…"}]. A line that does not
    begin with a date continues the previous entry's text. Raises ValueError(line) for text before
    the first dated line or an impossible month."""
    entries: list[dict] = []
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        match = _RESUME_RE.match(line)
        if match:
            y1, m1, y2, m2, rest = match.groups()
            if not 1 <= int(m1) <= 12 or (m2 and not 1 <= int(m2) <= 12):
                raise ValueError(line)
            entries.append({"start": f"{y1}.{int(m1):02d}", "end": f"{y2}.{int(m2):02d}" if y2 else "", "text": rest.strip()})
        elif entries:
            entries[-1]["text"] += line
        else:
            raise ValueError(line)
    return entries


def resume_text(lines) -> str:
    """The form's style: "2001.09--2005.07  text", an open end padded so the texts align."""
    out = []
    for line in lines:
        start, end, text = (line["start"], line["end"], line["text"]) if isinstance(line, dict) else (line.start, line.end, line.text)
        out.append(f"{start}--{end or ' ' * 7}  {text}")
    return "\n".join(out)


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


# --- the registry's side ----------------------------------------------------------------------------


def computed_post(cadre: Cadre) -> str:
    """现任职务 from current tenures: "教育局局长、党组书记" style."""
    tenures = Tenure.objects.filter(cadre=cadre, ended_on__isnull=True).select_related("position__unit").order_by("-position__is_principal", "started_on", "id")
    return "、".join(f"{t.position.unit.label}{t.position.title}" for t in tenures)


APPRAISAL_YEARS = 3
GRADE_WORDS = {"excellent": "优秀", "competent": "称职", "basically_competent": "基本称职", "incompetent": "不称职", "no_grade": "不定等次"}


def computed_appraisals(cadre: Cadre) -> str:
    """年度考核结果 of the last three confirmed annual appraisals: "2023年度考核称职；2024年度考核优秀"."""
    from .hooks import appraisal_results

    rows = appraisal_results(cadre, APPRAISAL_YEARS)
    return "；".join(f"{year}年度考核{GRADE_WORDS.get(grade, '')}" for year, grade in reversed(list(rows)))


def _record(cadre: Cadre) -> CadreRecord:
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
    record = _record(cadre)
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
    from .actions import pinyin_of

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
    record = _record(cadre)
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


# --- writing ----------------------------------------------------------------------------------------


def build(cadre: Cadre) -> bytes:
    """One .lrmx document (UTF-8) for `cadre`, in clear: the caller checks who may export."""
    values = current_values(cadre)
    root = ET.Element("Person")

    def put(tag, text):
        ET.SubElement(root, tag).text = text or ""

    put("XingMing", cadre.name)
    put("XingBie", {"male": "男", "female": "女"}.get(cadre.gender, ""))
    put("ChuShengNianYue", format_month(cadre.birth_on, ""))
    put("MinZu", cadre.ethnicity)
    put("JiGuan", cadre.native_place)
    put("ChuShengDi", values["birthplace"])
    put("RuDangShiJian", format_month(cadre.party_join_on))
    put("CanJiaGongZuoShiJian", format_month(cadre.work_start_on))
    for element, key in RECORD_ELEMENTS.items():
        if element.startswith(("JianKang", "ZhuanYe", "ShuXi", "QuanRi", "ZaiZhi")):
            put(element, values[key])
    put("XianRenZhiWu", values["current_post"])
    put("NiRenZhiWu", values["proposed_post"])
    put("NiMianZhiWu", values["proposed_removal"])
    put("JianLi", resume_text(values["resume"]))
    put("JiangChengQingKuang", values["rewards"])
    put("NianDuKaoHeJieGuo", values["appraisals"])
    put("RenMianLiYou", values["reason"])
    family = ET.SubElement(root, "JiaTingChengYuan")
    for row in values["family"]:
        item = ET.SubElement(family, "Item")
        title = KINSHIP_OUT.get(row["relation"]) or ("妻子" if cadre.gender == "male" else "丈夫")
        for tag, text in (
            ("ChengWei", title),
            ("XingMing", row["name"]),
            ("ChuShengRiQi", format_month(row["birth_on"], "")),
            ("ZhengZhiMianMao", row["political_status"]),
            ("GongZuoDanWeiJiZhiWu", row["work"]),
        ):
            ET.SubElement(item, tag).text = text
    put("ShenFenZheng", cadre.id_number)
    put("ZhaoPian", base64.b64encode(values["photo"]).decode("ascii") if values["photo"] else "")
    put("ChengBaoDanWei", values["reporting_unit"])
    put("JiSuanNianLingShiJian", format_day(values["age_on"]))
    put("TianBiaoShiJian", format_day(values["filled_on"]))
    put("TianBiaoRen", values["filled_by"])
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def file_name(cadre: Cadre) -> str:
    return f"{cadre.name}.lrmx"


def export_archive(cadres) -> bytes:
    """A zip of one .lrmx per cadre (names made unique with a number)."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for cadre in cadres:
            name = file_name(cadre)
            number = 2
            while name in used:
                name = f"{cadre.name}（{number}）.lrmx"
                number += 1
            used.add(name)
            archive.writestr(name, build(cadre))
    return buffer.getvalue()


def require_export(actor, cadres) -> None:
    """An .lrmx carries the ID number and family in clear: exporting needs registry.view_sensitive
    on every cadre's unit. The export is journaled per cadre (a sensitive read)."""
    for cadre in cadres:
        if not access.can(actor, "registry.view_sensitive", cadre.unit):
            raise ActionError(_("You may not export the appointment form of %(name)s: it contains the ID number and family in clear.") % {"name": cadre.name})
    with transaction.atomic():
        for cadre in cadres:
            journal.record("registry.cadre.lrmx_exported", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data={})


# --- editing the record by hand ---------------------------------------------------------------------


def photo_problem(photo: bytes) -> str | None:
    """Why these bytes cannot be the form's photo (size, kind by content, image dimensions)."""
    if len(photo) > MAX_PHOTO_BYTES:
        return _("The photo is larger than %(n)d MB.") % {"n": MAX_PHOTO_BYTES // (1024 * 1024)}
    kind = "png" if photo.startswith(b"\x89PNG") else "jpeg" if photo.startswith(b"\xff\xd8") else None
    if kind is None:
        return _("The photo is not a JPEG or PNG image.")
    problem = uploads.attachment_problem(kind, photo)
    if problem:
        return problem
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(photo)) as image:  # reads the header only
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return _("The photo is not readable.")
    if not (0 < width <= MAX_PHOTO_SIDE and 0 < height <= MAX_PHOTO_SIDE):
        return _("The photo is too large (%(width)d × %(height)d pixels); at most %(n)d on each side.") % {
            "width": width,
            "height": height,
            "n": MAX_PHOTO_SIDE,
        }
    return None


def update_record(*, actor, cadre: Cadre, values: dict, resume: str | None = None, photo: bytes | None = None) -> list[str]:
    """Change the form's record fields (RECORD_TEXT_FIELDS, age_on, filled_on), the resume
    (its text, one dated line per entry) and the photo. Returns the changed keys; journals them."""
    if photo is not None:
        problem = photo_problem(photo)
        if problem:
            raise ActionError(problem, field="photo")
    rows = None
    if resume is not None:
        try:
            rows = parse_resume(resume)
        except ValueError as exc:
            raise ActionError(
                _("This resume line does not begin with a date such as 2001.09--2005.07: %(line)s") % {"line": str(exc)[:60]}, field="resume"
            ) from exc
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        access.require(actor, "registry.manage", cadre.unit)
        record = _record(cadre)
        changed = []
        for key in RECORD_TEXT_FIELDS + DATE_RECORD_KEYS:
            if key in values and getattr(record, key) != values[key]:
                setattr(record, key, values[key])
                changed.append(key)
        if photo is not None and photo != bytes(record.photo_data or b""):
            record.photo_data = photo
            changed.append("photo")
        if rows is not None and rows != [{"start": r.start, "end": r.end, "text": r.text} for r in cadre.resume_lines.all()]:
            replace_resume(cadre, rows)
            changed.append("resume")
        if changed:
            record.save()
            journal.record("registry.cadre.record_updated", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data={"changed": changed})
    return changed


def require_print(actor, cadre: Cadre) -> None:
    """The printed form shows the birth month and the family: registry.view_sensitive on the
    cadre's unit. Printing is journaled (a download of a personnel document)."""
    if not access.can(actor, "registry.view_sensitive", cadre.unit):
        raise ActionError(_("You may not print the appointment form of %(name)s: it shows the birth date and family.") % {"name": cadre.name})
    journal.record("registry.cadre.form_printed", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data={})
