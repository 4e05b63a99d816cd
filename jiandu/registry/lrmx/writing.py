"""Writing .lrmx files: one cadre's file, a zip of several, and who may export them."""

import base64
import io
import zipfile
from xml.etree import ElementTree as ET

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import Cadre
from .importing import current_values
from .spec import KINSHIP_OUT, RECORD_ELEMENTS, format_day, format_month, resume_text

# --- writing ----------------------------------------------------------------------------------------


# What a caller (a selection case) may fill in for one proposal: 现任 (the posts held before it),
# 拟任, 拟免 and 任免理由. Everything else comes from the registry's record.
PROPOSAL_KEYS = ("current_post", "proposed_post", "proposed_removal", "reason")


def proposal_values(cadre: Cadre, proposal: dict | None = None) -> dict:
    """The registry's record of `cadre` (current_values) with the keys of `proposal` that are in
    PROPOSAL_KEYS replaced; any other key is refused (a programming error, not user input)."""
    values = current_values(cadre)
    for key, text in (proposal or {}).items():
        if key not in PROPOSAL_KEYS:
            raise ValueError(f"not a proposal field: {key}")
        values[key] = text or ""
    return values


def build(cadre: Cadre, *, proposal: dict | None = None) -> bytes:
    """One .lrmx document (UTF-8) for `cadre`, in clear: the caller checks who may export.
    `proposal` fills 拟任/拟免职务 and 任免理由 (and 现任职务) for one appointment (PROPOSAL_KEYS)."""
    values = proposal_values(cadre, proposal)
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
