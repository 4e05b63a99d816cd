"""Official forms as PDF (UX.md "Printing"): A4, a title, numbered fields, signature and date lines.

The Chinese font (Noto Sans SC, SIL OFL) comes from the pip package justmytype-intl-cjk and is
embedded as a subset in every file, so a form renders the same on a fresh machine without fonts.
Noto Sans SC is a variable font whose default instance is Thin (wght 100). Its Regular weight
(400) is instantiated once per machine with fontTools (about ten seconds) and cached under
JIANDU_VAR_DIR/fonts; every document then loads the static file in a fraction of a second.
Titles and headings are set "bold-ish" by stroking the outline of the regular weight (text render
mode 2, which prints like 黑体) rather than caching a second weight.

Forms are official documents and are printed in Chinese whatever the interface language: the
fixed parts here (页码, 年 月 日) are Chinese; labels and values come from the caller.

    pdf = render_form("离任经济事项交接清单", [Field("姓名", "张伟明"), Field("交接日期", date(2026, 3, 1))],
                      signatures=[Signature("移交人"), Signature("接交人"), Signature("监交人")])
"""

# One module per aggregate; every public name stays importable from here.
from .fonts import *  # noqa: F403
from .forms import *  # noqa: F403
from .lines import *  # noqa: F403
from .official import *  # noqa: F403
