"""Dossier reads. The dossier's scope is the registry's: a cadre the reader may see in the
registry (or the reader's own record in self service); each pillar's provider then decides what
of its facts the reader may see (core.timeline)."""

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length

from jiandu.accounts import access
from jiandu.registry import queries as registry_queries
from jiandu.registry.models import Cadre, CadreRecord, Tenure

from .models import Alert, LastLook


def get_cadre_for(user, pk) -> Cadre:
    """The cadre as the registry lets `user` open it, with `photo_on_file` (has_photo) and
    `last_seen` (previous_look) read in the same query."""
    if not str(pk).isdigit():
        raise access.NotVisible()
    extra = {"photo_on_file": _photo_exists(), "last_seen": Subquery(LastLook.objects.filter(cadre_id=OuterRef("pk"), user_id=user.pk).values("seen_at")[:1])}
    cadre = registry_queries.cadres_visible_to(user).annotate(**extra).filter(pk=pk).first()
    if cadre is None and getattr(user, "cadre_id", None) == int(pk) and access.can(user, "self.view"):  # self service, as the registry's get_cadre_for
        cadre = Cadre.objects.select_related("unit").annotate(**extra).filter(pk=pk).first()
    if cadre is None:
        raise access.NotVisible()
    return cadre


def _photo_exists():
    return Exists(CadreRecord.objects.filter(cadre_id=OuterRef("pk")).annotate(size=Length("photo_data")).filter(size__gt=0))


def current_posts(cadre: Cadre) -> QuerySet[Tenure]:
    return registry_queries.current_tenures(cadre).select_related("position__unit")


def last_look(user, cadre) -> "LastLook | None":
    return LastLook.objects.filter(user_id=user.pk, cadre_id=cadre.pk).first()


def previous_look(user, cadre):
    """When the reader last opened this cadre's file (None the first time)."""
    if hasattr(cadre, "last_seen"):  # read with the cadre (get_cadre_for)
        return cadre.last_seen
    return LastLook.objects.filter(user_id=user.pk, cadre_id=cadre.pk).values_list("seen_at", flat=True).first()


def may_see_sensitive(user, cadre: Cadre) -> bool:
    return registry_queries.may_see_sensitive(user, cadre)


def is_own(user, cadre: Cadre) -> bool:
    return access.is_self(user, cadre)


def has_photo(cadre: Cadre) -> bool:
    """The registry's photo (the 任免审批表's, CadreRecord.photo_data) is on file."""
    if hasattr(cadre, "photo_on_file"):
        return bool(cadre.photo_on_file)
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
    """The cadre's alerts still open for people: neither closed by the scan nor handled."""
    return list(alerts_visible_to(user).filter(cadre_id=cadre.pk, closed_at__isnull=True, handled_at__isnull=True).order_by("raised_at", "id"))


def severity_counts(alerts) -> list[tuple[str, str, int]]:
    """(severity, label, count) of `alerts`, most severe first, only those present."""
    if isinstance(alerts, QuerySet):  # counted by the database (a province has thousands open)
        counts = dict(alerts.order_by().values_list("severity").annotate(n=Count("pk")))
    else:
        counts = {}
        for alert in alerts:
            counts[alert.severity] = counts.get(alert.severity, 0) + 1
    return [(value, label, counts[value]) for value, label in reversed(Alert.Severity.choices) if counts.get(value)]


STATES = ("open", "acknowledged", "handled", "closed", "all")


def filter_alerts(user, *, state: str = "open", severity: str = "", rule: str = "", unit=None, q: str = "", min_age: int | None = None, today=None):
    """The alert list: `state` open (neither handled nor closed; acknowledged ones included),
    acknowledged, handled, closed (the cause ended) or all; then severity, rule, unit (with its
    sub-units), cadre name or text, and age in days since raised (at least)."""
    import datetime as dt

    from django.db.models import Q
    from django.utils import timezone

    qs = alerts_visible_to(user)
    if state == "open":
        qs = qs.filter(closed_at__isnull=True, handled_at__isnull=True)
    elif state == "acknowledged":
        qs = qs.filter(closed_at__isnull=True, handled_at__isnull=True, acknowledged_at__isnull=False)
    elif state == "handled":
        qs = qs.filter(closed_at__isnull=True, handled_at__isnull=False)
    elif state == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if severity:
        qs = qs.filter(severity=severity)
    if rule:
        qs = qs.filter(rule=rule)
    if unit is not None:
        qs = qs.filter(Q(unit_id=unit.pk) | Q(unit__path__startswith=unit.path))
    if q:
        qs = qs.filter(Q(cadre__name__icontains=q) | Q(text__icontains=q))
    if min_age:
        today = today or timezone.localdate()
        cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=min_age - 1), dt.time.min))
        qs = qs.filter(raised_at__lt=cutoff)
    return qs


def with_severity_rank(qs):
    """Annotate `severity_rank` (serious 3, warning 2, notice 1) for sorting by severity."""
    from django.db.models import Case, IntegerField, Value, When

    return qs.annotate(
        severity_rank=Case(
            When(severity=Alert.Severity.SERIOUS, then=Value(3)),
            When(severity=Alert.Severity.WARNING, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
