"""发文字号 (document numbers): 示组函〔2026〕3号, numbered per (prefix, year) without races.

The counter row is created once (a unique constraint settles two first callers) and then
incremented with one UPDATE … SET last = last + 1, which holds the row's lock until the caller's
transaction ends: two concurrent issuers never get the same number, and a rolled-back issue gives
its number back. Call it inside the issuing action's transaction.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import DocumentCounter


def format_document_number(prefix: str, year: int, number: int) -> str:
    """示组函〔2026〕3号 (GB/T 9704 7.2.4: hexagonal brackets 〔〕, no leading zeros, 号)."""
    return f"{prefix}〔{year}〕{number}号"


def next_document_number(prefix: str, year: int) -> str:
    """The next 发文字号 under `prefix` in `year`, taken atomically."""
    prefix = (prefix or "").strip()
    with transaction.atomic():
        if not DocumentCounter.objects.filter(prefix=prefix, year=year).exists():
            try:
                with transaction.atomic():
                    DocumentCounter.objects.create(prefix=prefix, year=year, last=0)
            except IntegrityError:
                pass  # another issuer created it first
        DocumentCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        number = DocumentCounter.objects.filter(prefix=prefix, year=year).values_list("last", flat=True).get()
    return format_document_number(prefix, year, number)
