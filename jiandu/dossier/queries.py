"""Dossier reads. The dossier's scope is the registry's: a cadre the reader may see in the
registry (or the reader's own record in self service); each pillar's provider then decides what
of its facts the reader may see (core.timeline)."""

from django.db.models import QuerySet
from django.db.models.functions import Length

from jiandu.accounts import access
from jiandu.registry import queries as registry_queries
from jiandu.registry.models import Cadre, CadreRecord, Tenure

from .models import Alert, LastLook


def get_cadre_for(user, pk) -> Cadre:
    return registry_queries.get_cadre_for(user, pk)


def current_posts(cadre: Cadre) -> QuerySet[Tenure]:
    return registry_queries.current_tenures(cadre).select_related("position__unit")


def last_look(user, cadre) -> "LastLook | None":
    return LastLook.objects.filter(user_id=user.pk, cadre_id=cadre.pk).first()


def may_see_sensitive(user, cadre: Cadre) -> bool:
    return registry_queries.may_see_sensitive(user, cadre)


def is_own(user, cadre: Cadre) -> bool:
    return access.is_self(user, cadre)


def has_photo(cadre: Cadre) -> bool:
    """The registry's photo (the 任免审批表's, CadreRecord.photo_data) is on file."""
    return CadreRecord.objects.filter(cadre_id=cadre.pk).annotate(size=Length("photo_data")).filter(size__gt=0).exists()


def photo_of(cadre: Cadre) -> bytes:
    data = CadreRecord.objects.filter(cadre_id=cadre.pk).values_list("photo_data", flat=True).first()
    return bytes(data or b"")


def alerts_visible_to(user) -> QuerySet[Alert]:
    """Early warnings of the units where the user reads supervision files (dossier.view)."""
    return Alert.objects.filter(access.scope_q(user, "dossier.view", "unit__path")).select_related("cadre", "unit")


def get_alert_for(user, pk) -> Alert:
    alert = alerts_visible_to(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if alert is None:
        raise access.NotVisible()
    return alert


def open_alerts_of(user, cadre) -> list[Alert]:
    return list(alerts_visible_to(user).filter(cadre_id=cadre.pk, closed_at__isnull=True).order_by("raised_at", "id"))
