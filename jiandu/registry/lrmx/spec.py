"""The .lrmx format: limits, element names, kinship words, labels; dates and resume lines as the
form writes them; the photo check."""

import datetime as dt
import io
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core import uploads

from ..models import Cadre, Relative

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
