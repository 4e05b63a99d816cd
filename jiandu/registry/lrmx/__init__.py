""".lrmx files (任免审批表 3.0): read, check, store and write the cadre record of the 干部任免审批表.

An .lrmx file is an XML document whose elements carry pinyin names (XingMing, ShenFenZheng, …).
Reading: `read_upload` turns one file or a zip of files into (name, bytes) pairs, refusing zip
bombs and oversized members (core.uploads); `parse` reads one document with defusedxml (no DTD,
no entities) after decoding it (UTF-8/16 or the GB encodings the form editor writes) and returns
the values plus per-field problems. `plan` compares every file with the registry (matched by ID
number) and `apply_plan` stores all files or none, one journal entry per cadre.
Writing: `build(cadre)` gives the bytes of one file; `export_archive` a zip of several.
"""

# One module per aggregate; every public name stays importable from here.
from .editing import *  # noqa: F403
from .importing import *  # noqa: F403
from .reading import *  # noqa: F403
from .spec import *  # noqa: F403
from .writing import *  # noqa: F403
