"""Accounts API (/api/v1/accounts/): who am I, and my personal API tokens.

A token is shown once, when it is created, and stored only as a hash. Tokens are created from a
logged-in session (with its login, second factor and CSRF), never with another token, so a
leaked token cannot mint successors that outlive its revocation. Tokens expire after
settings.API_TOKEN_DAYS days and may be read-only (core.api enforces both).
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Query, Router, Schema

from jiandu.core.api import Id, InputSchema, Page, PageQuery, is_token_request, optional, paginate, text
from jiandu.core.errors import ActionError

from . import access, actions
from .models import ApiToken, Role

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    label: str
    unit_id: int | None = F(description="the unit the role is held on; null: the whole district")
    include_descendants: bool


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    cadre_id: int | None
    roles: list[RoleOut]
    permissions: list[str]
    token_auth: bool = F(description="whether this request was authenticated with an API token")


@router.get("/me", response=MeOut, summary="The current user, roles and permissions")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "cadre_id": user.cadre_id,
        "roles": [
            {"role": a.role, "label": str(Role(a.role).label), "unit_id": a.unit_id, "include_descendants": a.include_descendants}
            for a in sorted(access.assignments(user), key=lambda a: (a.role, a.unit_path))
        ],
        "permissions": sorted(access.permissions(user)),
        "token_auth": is_token_request(request),
    }


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = F(description="the first characters of the token, to tell tokens apart")
    created_at: dt.datetime
    expires_at: dt.datetime = F(description="the token works up to the second before this instant")
    read_only: bool = F(description="a read-only token may only read (GET)")
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_because: str | None = F(
        description="why it was revoked: owner, administrator, password_changed, password_reset, disabled, sessions_ended, authenticator_reset"
    )
    is_active: bool = F(description="neither revoked nor expired")

    @staticmethod
    def resolve_is_active(obj):
        return obj.is_usable()

    @staticmethod
    def resolve_revoked_because(obj):
        return obj.revoked_because or None


class TokenCreated(TokenOut):
    token: str = F(description="the secret: shown only this once; send it as `Authorization: Bearer <token>`")


class TokenIn(InputSchema):
    name: text(100, 1) = F(description="what the token is for, e.g. the script that uses it")
    read_only: bool = F(False, description="true: the token may only read (GET); every other operation is refused")


class TokenFilters(PageQuery):
    active: bool = optional(description="true: only tokens neither revoked nor expired; false: only revoked or expired ones")


def _own_token(user, pk) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise access.NotVisible()
    return token


@router.get("/tokens", response=Page[TokenOut], summary="My API tokens")
def list_tokens(request, filters: Query[TokenFilters]):
    qs = ApiToken.objects.filter(user=request.user)
    if filters.active is not None:
        usable = Q(revoked_at__isnull=True, expires_at__gt=timezone.now())
        qs = qs.filter(usable if filters.active else ~usable)
    return paginate(qs.order_by("-created_at", "-id"), filters)


@router.get("/tokens/{token_id}", response=TokenOut, summary="One of my API tokens")
def get_token(request, token_id: Id):
    return _own_token(request.user, token_id)


@router.post("/tokens", response={201: TokenCreated}, summary="Create an API token (from a logged-in session)")
def create_token(request, payload: TokenIn):
    """The secret is in the answer only: store it safely. Needs a session: a token cannot create tokens."""
    if is_token_request(request):
        raise ActionError(_("API tokens can only be created from a logged-in session, not with another token."), code="session_required")
    token, secret = actions.create_api_token(actor=request.user, name=payload.name, read_only=payload.read_only)
    token.token = secret
    return 201, token


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke one of my API tokens")
def revoke_token(request, token_id: Id):
    """The token stops working at once (also when it is the one making this request)."""
    return actions.revoke_api_token(actor=request.user, token=_own_token(request.user, token_id))


# --- my notifications (core.notifications): the bell's list, marking read, the mail address ------


class NotificationOut(Schema):
    id: int
    kind: str = F(description="reminder, escalation, alert, vetting_request, clue_receipt or log_returned")
    kind_label: str
    text: str = F(description="in the language of the request")
    url: str = F(description="the page of the matter (a path of this site), empty when none")
    created_at: dt.datetime
    read: bool


class NotificationFilters(PageQuery):
    unread: bool | None = F(None, description="true: only unread ones")


class NotificationsReadIn(InputSchema):
    ids: list[Id] | None = F(None, max_length=500, description="these of mine; left out: all my unread notifications")


class NotificationsReadOut(Schema):
    marked: int


class NotificationAddressIn(InputSchema):
    email: text(254) = F(description="where notification mail goes; empty: no mail")


def _notification_out(note) -> dict:
    from jiandu.core import notifications

    return {
        "id": note.pk,
        "kind": note.kind,
        "kind_label": notifications.kind_label(note.kind),
        "text": note.text,
        "url": note.url,
        "created_at": note.created_at,
        "read": note.read_at is not None,
    }


@router.get("/notifications", response=Page[NotificationOut], summary="My notifications, newest first")
def list_notifications(request, filters: Query[NotificationFilters]):
    from jiandu.core import notifications

    qs = notifications.visible_to(request.user)
    if filters.unread is not None:
        qs = qs.filter(read_at__isnull=filters.unread)
    return paginate(qs, filters, _notification_out)


@router.post("/notifications/read", response=NotificationsReadOut, summary="Mark my notifications read")
def read_notifications(request, payload: NotificationsReadIn):
    """Another user's notification among `ids` is ignored (nobody marks another's)."""
    from jiandu.core.actions import mark_notifications_read

    return {"marked": mark_notifications_read(actor=request.user, ids=payload.ids)}


@router.put("/notifications/address", response={204: None}, summary="Set my address for notification mail")
def set_notification_address(request, payload: NotificationAddressIn):
    from jiandu.core.actions import set_notification_address as set_address

    set_address(actor=request.user, email=payload.email)
    return 204, None
