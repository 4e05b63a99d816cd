"""Dossier writes: only the journal of who read or exported which cadre's file, and the reader's
last look (for "what changed since I last looked"). Every read of the file is journaled."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jiandu.core import journal

from . import queries
from .models import LastLook

VIAS = ("page", "api")
FORMATS = ("pdf", "xlsx")


def record_view(*, actor, cadre, via: str = "page", pillar: str = "", year: int | None = None) -> dt.datetime | None:
    """Journal `dossier.cadre.viewed` and move the reader's last look at this cadre to now;
    returns the previous look (None on the first). Preconditions: the actor may open the file."""
    cadre = queries.get_cadre_for(actor, cadre.pk)
    if via not in VIAS:
        raise ValueError(via)
    with transaction.atomic():
        look = LastLook.objects.select_for_update().filter(user_id=actor.pk, cadre_id=cadre.pk).first()
        previous = look.seen_at if look else None
        now = timezone.now()
        if look:
            LastLook.objects.filter(pk=look.pk).update(seen_at=now)
        else:
            LastLook.objects.create(user=actor, cadre=cadre, seen_at=now)
        data = {"via": via}
        if pillar:
            data["pillar"] = pillar
        if year:
            data["year"] = year
        journal.record("dossier.cadre.viewed", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data=data)
    return previous


def record_export(*, actor, cadre, fmt: str, entries: int) -> None:
    """Journal `dossier.cadre.exported` (a PDF print or a workbook of the file). Preconditions:
    the actor may open the file; masking is the documents' (documents.header_fields)."""
    cadre = queries.get_cadre_for(actor, cadre.pk)
    if fmt not in FORMATS:
        raise ValueError(fmt)
    with transaction.atomic():
        journal.record("dossier.cadre.exported", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data={"format": fmt, "entries": entries})
