"""Notifications (issue #16 §3b): a message to each person concerned when a reminder, an
escalation, an alert, a vetting request, a clue to receive or a returned weekly log is produced.

The action or job that produces the cause calls, inside its own transaction:

    from jiandu.core.notifications import notify, REMINDER
    notify(users, REMINDER, gettext_noop("Your reply to a written inquiry is due on %(day)s"), url,
           params={"day": …}, cause=f"oversight.inquiry.reminded:{inquiry.pk}", sensitive=True)

The title is stored as its English source text (gettext_noop) with its parameters and translated
when it is shown, in the reader's language (a job has no reader; a request's language is the
actor's, not the recipient's). The owning app's catalogue holds its translation.

`users` are the recipients (user objects or ids; the caller chooses them with its own rules,
e.g. `accounts.access.holders(perm, unit)`). One notification per user, cause and day: a
nightly job that runs twice, or two workers, add nothing (`created` counts only new rows).

The page (/notifications/) shows the title and the link to the recipient alone. Mail goes out
only when an SMTP server is configured (settings.EMAIL_HOST, env JIANDU_SMTP_HOST; empty by
default) and the user has given an address; the worker sends it (`send_pending_mail`, job
`core.notification_mail`), never the request. The mail body carries only the kind and a link —
never the title, a name or a number; for a sensitive notification the link is the
notifications page, not the record."""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("jiandu.notifications")

REMINDER = "reminder"
ESCALATION = "escalation"
ALERT = "alert"
VETTING_REQUEST = "vetting_request"
CLUE_RECEIPT = "clue_receipt"
LOG_RETURNED = "log_returned"

KINDS = {
    REMINDER: _("reminder"),
    ESCALATION: _("escalation"),
    ALERT: _("early warning"),
    VETTING_REQUEST: _("vetting request"),
    CLUE_RECEIPT: _("clue to receive"),
    LOG_RETURNED: _("weekly log returned"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, _("notification")))


def mail_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def _user_id(user) -> int:
    return user if isinstance(user, int) else user.pk


@dataclass(frozen=True)
class Note:
    """One notification to send to several people (notify_many)."""

    recipients: Iterable
    title: str
    url: str = ""
    params: dict | None = None
    cause: str = ""
    sensitive: bool = False


def notify(
    recipients: Iterable,
    kind: str,
    title: str,
    url: str = "",
    *,
    params: dict | None = None,
    cause: str,
    sensitive: bool = False,
    today: dt.date | None = None,
) -> int:
    """Create one notification per recipient for `cause` today (none if one exists already).
    Returns how many were created. Call it inside the transaction of the cause."""
    return notify_many(kind, [Note(recipients, title, url, params, cause, sensitive)], today=today)


BATCH = 1000  # causes per lookup of the notifications that exist already


def notify_many(kind: str, notes: list[Note], *, today: dt.date | None = None) -> int:
    """notify() for many causes at once (a first scan raising thousands of alerts): a lookup of the
    existing notifications per thousand causes, one of the mail addresses, one insert. Returns how
    many were created. Call it inside the transaction of the causes."""
    from .models import Notification, NotificationAddress

    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind}")
    wanted = []  # (note, cause, recipient ids)
    for note in notes:
        ids = sorted({_user_id(u) for u in note.recipients if u is not None})
        if ids:
            wanted.append((note, note.cause[:120], ids))
    if not wanted:
        return 0
    today = today or timezone.localdate()
    with transaction.atomic():
        existing = set()
        causes = sorted({cause for _note, cause, _ids in wanted})
        everyone = sorted({i for _note, _cause, ids in wanted for i in ids})  # the unique index leads with the user
        for start in range(0, len(causes), BATCH):
            found = Notification.objects.filter(user_id__in=everyone, cause__in=causes[start : start + BATCH], created_on=today)
            existing.update(found.values_list("user_id", "cause"))
        new = [(note, cause, i) for note, cause, ids in wanted for i in ids if (i, cause) not in existing]
        if not new:
            return 0
        users = sorted({i for _note, _cause, i in new})
        mailed = set()
        if mail_configured():
            mailed = set(NotificationAddress.objects.filter(user_id__in=users).exclude(email="").values_list("user_id", flat=True))
        now = timezone.now()
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=i,
                    kind=kind,
                    title=str(note.title)[:300],
                    params={k: str(v) for k, v in (note.params or {}).items()},
                    url=note.url if note.url.startswith("/") else "",
                    sensitive=note.sensitive,
                    cause=cause,
                    created_on=today,
                    created_at=now,
                    mail_state=Notification.MailState.PENDING if i in mailed else Notification.MailState.NONE,
                )
                for note, cause, i in new
            ],
            batch_size=BATCH,
            ignore_conflicts=True,  # a concurrent worker made the same one: still once
        )
        forget_unread(users)
    return len(new)


# The bell's count is on every page: kept in the cache (shared between processes with Redis) and
# forgotten whenever a user's notifications are created or read — at once, and again when the
# transaction commits (a page counting in between must not keep the old figure). The timeout
# bounds any staleness a path that bypasses these functions could leave.
UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id: int) -> str:
    return f"jiandu:notifications-unread:{user_id}"


def forget_unread(user_ids) -> None:
    from django.core.cache import cache

    keys = [_unread_key(i) for i in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def unread_count(user) -> int:
    from django.core.cache import cache

    from .models import Notification

    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def visible_to(user):
    """The user's own notifications, newest first (nobody reads another's)."""
    from .models import Notification

    return Notification.objects.filter(user_id=user.pk)


def mail_body(notification, base_url: str) -> tuple[str, str]:
    """(subject, body) of the mail: the kind and a link, nothing else."""
    from django.urls import reverse
    from django.utils.translation import gettext as gt

    kind = kind_label(notification.kind)
    path = reverse("core:notifications") if notification.sensitive or not notification.url else notification.url
    subject = gt("Jiandu: %(kind)s") % {"kind": kind}
    body = gt("You have a new item in Jiandu: %(kind)s.\n\nOpen it after logging in: %(link)s\n") % {"kind": kind, "link": base_url.rstrip("/") + path}
    return subject, body


def send_pending_mail(*, limit: int = 200) -> int:
    """Mail the pending notifications (the worker's job). Each is taken under a row lock and
    marked sent or failed, so two workers never mail one twice."""
    from django.core.mail import send_mail
    from django.utils import translation

    from .models import Notification, NotificationAddress

    if not mail_configured():
        return 0
    base_url = getattr(settings, "JIANDU_BASE_URL", "") or "http://localhost:8000"
    sent = 0
    for pk in list(Notification.objects.filter(mail_state=Notification.MailState.PENDING).order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            note = Notification.objects.select_for_update().filter(pk=pk, mail_state=Notification.MailState.PENDING).first()
            if note is None:
                continue
            address = NotificationAddress.objects.filter(user_id=note.user_id).values_list("email", flat=True).first()
            if not address:
                note.mail_state = Notification.MailState.NONE
                note.save(update_fields=["mail_state"])
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = mail_body(note, base_url)
            try:
                send_mail(subject, body, None, [address])
            except Exception:
                log.exception("notification mail %s failed", pk)
                note.mail_state = Notification.MailState.FAILED
            else:
                note.mail_state = Notification.MailState.SENT
                note.mailed_at = timezone.now()
                sent += 1
            note.save(update_fields=["mail_state", "mailed_at"])
    return sent
