"""The embedded sans Chinese font of forms (shipped in a Python package, cut to its regular weight once), and the sizes and colours forms use."""

import logging
import os
import tempfile
from functools import cache
from importlib.resources import files
from pathlib import Path

FONT_FAMILY = "NotoSansSC"
FONT_PACKAGE = "justmytype_intl_cjk"
FONT_FILE = ("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")

PAGE_LABEL = "第 {page} 页 共 {pages} 页"
BLANK_DATE = "　　年　　月　　日"

# Sizes in points: 二号 (22 pt) for a form's title, 四号 (14 pt) for section headings, 小四 (12 pt)
# for the body, 五号 (10.5 pt) for tables, small print 9 pt.
TITLE_SIZE = 20
HEADING_SIZE = 13
BODY_SIZE = 11
TABLE_SIZE = 10.5
SMALL_SIZE = 9

REGULAR_WEIGHT = 400

LABEL_FILL = (242, 242, 242)
HEADING_FILL = (225, 225, 225)
INK = (0, 0, 0)
MUTED = (90, 90, 90)

# fontTools reports every subsetting step at INFO level: one page of log per document.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class FontMissing(RuntimeError):
    """The Chinese font could not be found (the justmytype-intl-cjk package is not installed)."""


@cache
def font_path() -> Path:
    """Path of NotoSansSC[wght].ttf inside the installed justmytype-intl-cjk package."""
    try:
        path = Path(str(files(FONT_PACKAGE).joinpath(*FONT_FILE)))
    except ModuleNotFoundError as exc:
        raise FontMissing(f"the Chinese font package {FONT_PACKAGE} is not installed (pip install justmytype-intl-cjk)") from exc
    if not path.is_file():
        raise FontMissing(f"{path} is missing from {FONT_PACKAGE}")
    return path


def _cache_dir() -> Path:
    from django.conf import settings

    for directory in (Path(settings.VAR_DIR) / "fonts", Path(tempfile.gettempdir()) / "jiandu-fonts"):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(directory, os.W_OK):
            return directory
    raise FontMissing("no writable directory for the font cache (JIANDU_VAR_DIR)")


@cache
def regular_font_path() -> Path:
    """A static Regular instance of the variable font, built once and cached on disk. Concurrent
    first calls each build to a private file and rename it into place (atomic)."""
    source = font_path()
    stat = source.stat()
    directory = _cache_dir()
    target = directory / f"NotoSansSC-Regular-{stat.st_size}-{int(stat.st_mtime)}.ttf"
    if target.is_file():
        return target
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(TTFont(str(source)), {"wght": REGULAR_WEIGHT}, inplace=False, updateFontNames=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".ttf.part")
    try:
        with os.fdopen(handle, "wb") as stream:
            font.save(stream)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
