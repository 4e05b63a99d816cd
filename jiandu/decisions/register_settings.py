"""Local-practice settings of the 三重一大 registers (DOMAIN.md §3 [L]): the district's default
money threshold and the matters that always need a collective decision. A unit may keep its own
(`UnitRule`); the nearest unit up the tree with one applies, else these."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare

from .models import MatterKind

declare(
    "decisions.threshold_yuan",
    100000,
    _("三重一大: amount (yuan) from which a project, procurement or payment needs a collective decision"),
    _("Inclusive: an amount equal to the threshold needs a collective decision (“以上” includes the number itself)."),
    kind="int",
    # DOMAIN.md §3: each unit keeps its threshold [L], e.g. ¥100k. "以上" includes the number:
    # 《中华人民共和国民法典》 art. 1259.
    source=_("Local 三重一大 implementing rules (e.g. ¥100,000 以上); “以上” includes the number: Civil Code art. 1259"),
)
declare(
    "decisions.matter_kinds",
    ["project"],
    _("三重一大: kinds of matter that need a collective decision whatever the amount"),
    _("Tick the kinds of register entry that always need a collective decision."),
    kind="list",
    choices=MatterKind.choices,
    source=_("《关于进一步推进国有企业贯彻落实“三重一大”决策制度的意见》(2010): major projects are decided collectively"),
)
