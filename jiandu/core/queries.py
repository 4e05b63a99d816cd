"""Journal reads: per-object history for business roles in scope, full search for the audit
administrator (SECURITY.md: the system administrator reads no journal)."""

from django.db.models import Q, QuerySet

from .models import JournalEntry
from .permissions import access


def journal_visible_to(user) -> QuerySet[JournalEntry]:
    if access.can(user, "journal.search"):
        return JournalEntry.objects.all()
    if access.can(user, "journal.view_object"):
        return JournalEntry.objects.filter(access.scope_q(user, "journal.view_object", "unit_path") & ~Q(unit_path=""))
    return JournalEntry.objects.none()


def history_for(user, target=None, *, cadre=None, limit: int = 200) -> list[JournalEntry]:
    """The journal of one object (or, with `cadre`, everything about a cadre), newest first.
    The caller has fetched the object through a *_for(user) query, so it is in scope; the
    history is shown to roles allowed to read object histories."""
    if not (access.can(user, "journal.view_object") or access.can(user, "journal.search")):
        return []
    qs = JournalEntry.objects.all()
    if cadre is not None:
        qs = qs.filter(cadre_id=getattr(cadre, "pk", cadre))
    else:
        qs = qs.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    entries = list(qs.order_by("-seq")[:limit])
    from .journal_text import name_actors

    return name_actors(entries)


def search_journal(user, *, text: str = "", action: str = "", actor: str = "", date_from=None, date_to=None, outcome: str = "") -> QuerySet[JournalEntry]:
    access.require(user, "journal.search")
    qs = JournalEntry.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_username__icontains=actor)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if text:
        qs = qs.filter(Q(target_id=text) | Q(request_id=text) | Q(ip=text) | Q(action__icontains=text))
    return qs.order_by("-seq")
