"""Ordering of personal names as officials expect (issue #12 part 5).

Two orders besides post order (queries.order_cadres "post"):

- 姓氏笔画: by the surname's stroke count, then the order of its strokes (横竖撇点折), then the
  following characters the same way. Stroke data: the character table of the maintained `cn-sort`
  package (res/all_word.json, `stroke_increment_level`: one rank per character by stroke count,
  then stroke order). Only its data file is read: importing the package configures logging.
- pinyin: syllable by syllable (陈 chen before 程 cheng whatever follows), then tone, with the
  surname read as a surname (曾 zēng, 单 shàn, 解 xiè, 仇 qiú …; compound surnames such as 欧阳,
  尉迟 yùchí). Readings come from pypinyin; surnames whose everyday reading differs are listed here.

Both keys are stored on the cadre (`sort_pinyin`, `sort_strokes`) so the database sorts and pages.
They are fixed-width digits and letters only: every collation compares them position by position.
"""

import functools
import importlib.util
import json
from pathlib import Path

from pypinyin import Style, lazy_pinyin

# Two-character surnames (复姓) and their readings where pypinyin's everyday reading differs.
COMPOUND_SURNAMES = {
    "欧阳": None,
    "司马": None,
    "诸葛": None,
    "上官": None,
    "东方": None,
    "皇甫": None,
    "公孙": None,
    "慕容": None,
    "宇文": None,
    "司徒": None,
    "司空": None,
    "夏侯": None,
    "轩辕": None,
    "端木": None,
    "百里": None,
    "呼延": None,
    "申屠": None,
    "钟离": None,
    "闻人": None,
    "赫连": None,
    "南宫": None,
    "独孤": None,
    "西门": None,
    "公冶": None,
    "宗政": None,
    "濮阳": None,
    "太史": None,
    "尉迟": ("yu4", "chi2"),
    "万俟": ("mo4", "qi2"),
    "单于": ("chan2", "yu2"),
    "长孙": ("zhang3", "sun1"),
    "澹台": ("tan2", "tai2"),
    "令狐": ("ling2", "hu2"),
}

# Single-character surnames read differently from the character's everyday reading.
SURNAME_READINGS = {
    "曾": "zeng1",
    "单": "shan4",
    "解": "xie4",
    "仇": "qiu2",
    "区": "ou1",
    "查": "zha1",
    "盖": "ge3",
    "朴": "piao2",
    "种": "chong2",
    "翟": "zhai2",
    "缪": "miao4",
    "覃": "qin2",
    "尉": "wei4",
    "秘": "bi4",
    "召": "shao4",
    "繁": "po2",
    "华": "hua4",
    "任": "ren2",
    "纪": "ji3",
    "冼": "xian3",
    "沈": "shen3",
    "石": "shi2",
    "柏": "bai3",
    "长": "chang2",
    "薄": "bo2",
    "宁": "ning4",
    "乐": "yue4",
    "员": "yun4",
    "过": "guo1",
    "朝": "chao2",
    "重": "chong2",
    "车": "che1",
    "隗": "wei3",
}

SYLLABLE_WIDTH = 6  # "zhuang"
STROKE_WIDTH = 5  # ranks up to 99999 (the table has about 21,000 characters)
UNKNOWN_STROKES = "9" * STROKE_WIDTH


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name): a known compound surname when the name is longer than it."""
    name = (name or "").strip()
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


def syllables(name: str) -> list[str]:
    """Pinyin with tone numbers ("zeng1", "guo2", "fan2"), surname read as a surname."""
    return list(_syllables(name))


@functools.lru_cache(maxsize=65536)
def _syllables(name: str) -> tuple[str, ...]:
    """syllables(), remembered: each cadre's name is read for its pinyin, its initials and its sort
    key, and names repeat (a 100,000-row import converts each distinct name once)."""
    return tuple(_read_syllables(name))


def _read_syllables(name: str) -> list[str]:
    surname, given = split_surname(name)
    if len(surname) == 2:
        reading = COMPOUND_SURNAMES[surname]
        head = list(reading) if reading else _tone3(surname)
    elif surname in SURNAME_READINGS:
        head = [SURNAME_READINGS[surname]]
    else:
        head = _tone3(surname)
    return head + _tone3(given)


def _tone3(text: str) -> list[str]:
    if not text:
        return []
    return [s.lower() for s in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore") if s]


def plain_syllables(name: str) -> list[str]:
    """Syllables without tones ("zeng", "guo", "fan"), for search fields."""
    return [s.rstrip("012345") for s in syllables(name)]


def pinyin_key(name: str) -> str:
    """Each syllable padded to fixed width with "0" (sorts before letters), then its tone digit."""
    parts = []
    for syllable in syllables(name):
        tone = syllable[-1] if syllable[-1].isdigit() else "5"
        letters = syllable.rstrip("012345").replace("ü", "v")[:SYLLABLE_WIDTH]
        parts.append(letters.ljust(SYLLABLE_WIDTH, "0") + tone)
    return "".join(parts)


@functools.cache
def _stroke_table() -> dict[str, int]:
    spec = importlib.util.find_spec("cn_sort")  # locates the package without running its __init__
    path = Path(next(iter(spec.submodule_search_locations))) / "res" / "all_word.json"
    with path.open(encoding="utf-8") as f:
        return {e["chinese"]: e["stroke_increment_level"] for e in json.load(f)["all_word"] if len(e["chinese"]) == 1}


def stroke_key(name: str) -> str:
    """Each Han character's stroke rank as fixed-width digits; characters unknown to the table last."""
    table = _stroke_table()
    parts = []
    for char in (name or "").strip():
        if not _is_han(char):
            continue
        rank = table.get(char)
        parts.append(str(rank).zfill(STROKE_WIDTH) if rank is not None else UNKNOWN_STROKES)
    return "".join(parts)


def sort_keys(name: str) -> dict[str, str]:
    return {"sort_pinyin": pinyin_key(name)[:400], "sort_strokes": stroke_key(name)[:300]}
