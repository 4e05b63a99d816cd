"""Local-practice settings (DOMAIN.md [L] and [R?]): documented defaults in code, overrides in the
database, changed only through `change_setting` (journaled). Apps declare theirs with `declare`."""

import copy
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import context
from .models import LocalSetting


@dataclass(frozen=True)
class SettingDefinition:
    key: str
    default: Any
    label: str
    help: str = ""
    kind: str = "str"  # str | int | bool | fraction | choice | list
    choices: tuple = ()
    mark: str = "L"  # L = local practice, R? = unconfirmed national rule
    source: str = ""  # where the default comes from: the instrument and article, or the local rule


_definitions: dict[str, SettingDefinition] = {}


def declare(key, default, label, help="", kind="str", choices=(), mark="L", source="") -> SettingDefinition:
    """`source` names the basis of the default (instrument and article, or the local rule and where
    it was found); the settings page shows it beside the value."""
    definition = SettingDefinition(key, default, label, help, kind, tuple(choices), mark, source)
    _definitions[key] = definition
    return definition


def definitions() -> dict[str, SettingDefinition]:
    return dict(sorted(_definitions.items()))


def get_setting(key: str):
    """The setting's value: the district's override, or the documented default. In a request
    every override is read in one query on first use and kept for the rest of the request
    (change_setting and reset_setting forget them); outside a request each call reads the row.
    Lists and dicts are returned as copies: a caller may change what it gets."""
    definition = _definitions[key]
    info = context.active()
    if info is None:
        row = LocalSetting.objects.filter(key=key).only("value").first()
        value = definition.default if row is None else row.value
    else:
        if info.settings is None:
            info.settings = dict(LocalSetting.objects.values_list("key", "value"))
        value = info.settings.get(key, definition.default)
    return copy.deepcopy(value) if isinstance(value, list | dict) else value


def forget_settings() -> None:
    """Drop the request's copy of the settings (after a change): the next read loads them again."""
    info = context.active()
    if info is not None:
        info.settings = None


# Core's own settings.
declare(
    "rates.rounding_mode",
    "down",
    _("Rate display rounding mode"),
    _("How displayed percentages are rounded; counts are always kept exactly."),
    kind="choice",
    choices=(
        ("down", _("round down (去尾法)")),
        ("half_up", _("round half up (四舍五入)")),
        ("half_even", _("GB/T 8170 (round half to even)")),
        ("up", _("round up")),
    ),
    source=_("The seed reports 131/133 as 98.49 % (rounded down); a ballot may choose its own rounding."),
)
declare(
    "rates.display_places",
    2,
    _("Rate display decimal places"),
    kind="int",
    source=_("The seed reports rates to two decimal places; a ballot may choose its own precision."),
)
declare("security.idle_timeout_minutes", 30, _("Idle session timeout (minutes)"), kind="int")
# Failed logins no longer lock an account (security issue #8): from the threshold on, each failure
# makes the account wait longer before its next attempt, up to lockout_minutes (jiandu.accounts.actions).
declare("security.lockout_threshold", 5, _("Failed logins before login delays"), kind="int")
declare("security.lockout_minutes", 30, _("Longest login delay (minutes, at least 30)"), kind="int")
declare(
    "security.password_max_age_days",
    90,
    _("Password change period (days, 0 = never)"),
    _("等保 asks for periodic change; ASVS advises against it. We follow 等保 and make it a setting."),
    kind="int",
)
declare(
    "documents.issuer",
    "中共区委组织部",
    _("Issuing organ on official documents (发文机关标志)"),
    _("Printed in red at the head of letters and notices and as the signature above the date; give the full name, e.g. 中共示范区委组织部."),
)
