"""A minimal PDF helper with a Chinese font that renders on a fresh machine (fpdf2 + Noto Sans SC
from the justmytype_intl_cjk package).

The packaged Noto Sans SC is a 17 MB variable font whose default instance is the thinnest weight;
instancing the whole font takes seconds, so each document subsets the font to the characters it
needs first and then instances the small subset at the regular and bold weights (about a second).

To be consolidated with jiandu/core/pdf.py once that exists.
"""

import io
import logging
import string
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import justmytype_intl_cjk
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont
from fpdf import FPDF

# fontTools reports every subsetting step at INFO; keep the server log for what matters.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_FILE = Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc" / "NotoSansSC[wght].ttf"
FAMILY = "notosanssc"
BASE_CHARACTERS = string.printable + "，。：；、（）《》“”‘’—…·！？【】％￥－／　×√□■○●年月日第页共"


def _write_fonts(characters: set[str], regular: Path, bold: Path) -> None:
    font = TTFont(str(FONT_FILE), lazy=True)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters)))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    for weight, path in ((400, regular), (700, bold)):
        buffer.seek(0)
        instance = TTFont(buffer)
        if "fvar" in instance:
            instance = instantiateVariableFont(instance, {"wght": weight})
        instance.save(str(path))


@contextmanager
def document(texts: Iterable[str], *, title: str = "", orientation: str = "P") -> Iterator[FPDF]:
    """An A4 FPDF with the Chinese font set, able to render every character of `texts`. Call
    `output()` inside the `with` block (the font file is temporary)."""
    characters = set(BASE_CHARACTERS)
    for text in texts:
        characters.update(str(text))
    characters.discard("\n")
    with tempfile.TemporaryDirectory(prefix="jiandu-pdf-") as tmp:
        regular, heavy = Path(tmp) / "regular.ttf", Path(tmp) / "bold.ttf"
        _write_fonts(characters, regular, heavy)
        pdf = FPDF(orientation=orientation, unit="mm", format="A4")
        pdf.add_font(FAMILY, fname=str(regular))
        pdf.add_font(FAMILY, style="B", fname=str(heavy))
        pdf.set_font(FAMILY, size=11)
        pdf.set_title(title)
        pdf.set_creator("Jiandu")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_margins(15, 15, 15)
        yield pdf


def bold(pdf: FPDF, on: bool = True) -> None:
    pdf.set_font(FAMILY, style="B" if on else "")
