"""What a personal-matters report holds: the 8 family matters (规定 art. 3) and the 6 asset items
(规定 art. 4), each with typed fields so that a report and a department's reply can be compared
field by field. Pure data, no models."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

FAMILY = "family"
ASSET = "asset"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"  # text | date | money | decimal
    key: bool = False  # identifies the item when comparing a report with a reply


@dataclass(frozen=True)
class Kind:
    code: str
    section: str
    label: str
    article: str
    fields: tuple


KINDS = {
    k.code: k
    for k in (
        Kind(
            "marriage", FAMILY, _("Marriage"), _("规定 art. 3 (1)"), (Field("status", _("marital status"), key=True), Field("changed_on", _("since"), "date"))
        ),
        Kind(
            "passport",
            FAMILY,
            _("Private passports and travel abroad"),
            _("规定 art. 3 (2)"),
            (
                Field("document", _("document number"), key=True),
                Field("destination", _("destination")),
                Field("departed_on", _("departed on"), "date"),
                Field("returned_on", _("returned on"), "date"),
            ),
        ),
        Kind(
            "hkmt_permit",
            FAMILY,
            _("Permits and travel to Hong Kong, Macao and Taiwan"),
            _("规定 art. 3 (3)"),
            (
                Field("document", _("document number"), key=True),
                Field("destination", _("destination")),
                Field("departed_on", _("departed on"), "date"),
                Field("returned_on", _("returned on"), "date"),
            ),
        ),
        Kind(
            "child_foreign_marriage",
            FAMILY,
            _("Children married to foreigners or stateless persons"),
            _("规定 art. 3 (4)"),
            (Field("partner_nationality", _("spouse's nationality"), key=True), Field("married_on", _("married on"), "date")),
        ),
        Kind(
            "child_hkmt_marriage",
            FAMILY,
            _("Children married to residents of Hong Kong, Macao or Taiwan"),
            _("规定 art. 3 (5)"),
            (Field("partner_region", _("spouse's region"), key=True), Field("married_on", _("married on"), "date")),
        ),
        Kind(
            "abroad",
            FAMILY,
            _("Spouse or children emigrated or living abroad for a year or more"),
            _("规定 art. 3 (6)"),
            (Field("country", _("country or region"), key=True), Field("status", _("emigrated or living abroad")), Field("since", _("since"), "date")),
        ),
        Kind(
            "employment",
            FAMILY,
            _("Employment of spouse and children"),
            _("规定 art. 3 (7)"),
            (Field("employer", _("employer"), key=True), Field("post", _("post"))),
        ),
        Kind(
            "criminal",
            FAMILY,
            _("Criminal liability of spouse and children"),
            _("规定 art. 3 (8)"),
            (Field("offence", _("offence"), key=True), Field("decided_on", _("judgment date"), "date")),
        ),
        Kind("salary", ASSET, _("Salary, bonuses and allowances"), _("规定 art. 4 (1)"), (Field("amount", _("yearly amount (yuan)"), "money"),)),
        Kind(
            "other_income",
            ASSET,
            _("Income from lecturing, writing, consulting and similar work"),
            _("规定 art. 4 (2)"),
            (Field("source", _("source"), key=True), Field("amount", _("amount (yuan)"), "money")),
        ),
        Kind(
            "real_estate",
            ASSET,
            _("Real estate"),
            _("规定 art. 4 (3)"),
            (
                Field("address", _("address"), key=True),
                Field("area", _("floor area (m²)"), "decimal"),
                Field("nature", _("nature of the property")),
                Field("acquired_on", _("acquired on"), "date"),
            ),
        ),
        Kind(
            "securities",
            ASSET,
            _("Shares, funds, investment insurance and other financial products"),
            _("规定 art. 4 (4)"),
            (Field("name", _("name of the product"), key=True), Field("value", _("value (yuan)"), "money")),
        ),
        Kind(
            "business",
            ASSET,
            _("Businesses invested in or registered by spouse and children"),
            _("规定 art. 4 (5) and (6)"),
            (Field("name", _("business name"), key=True), Field("role", _("role or share")), Field("capital", _("capital (yuan)"), "money")),
        ),
        Kind(
            "deposits_abroad",
            ASSET,
            _("Deposits and investments abroad"),
            _("规定 art. 4; 2010 provisions art. 4 (deposits and investments abroad)"),
            (Field("institution", _("bank or institution"), key=True), Field("country", _("country or region")), Field("amount", _("amount (yuan)"), "money")),
        ),
    )
}

HOLDERS = (("self", _("the cadre")), ("spouse", _("spouse")), ("child", _("child")))
TEXT_MAX = 200


class ItemError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def clean_values(kind: Kind, raw: dict) -> dict:
    """Typed, normalised values of one item (strings in storage: ISO dates, decimal strings).
    Raises ItemError naming the field."""
    values = {}
    for f in kind.fields:
        value = raw.get(f.name)
        value = "" if value is None else str(value).strip()
        if "\x00" in value:
            raise ItemError(f.name, _("The value contains a character that is not allowed."))
        if len(value) > TEXT_MAX:
            raise ItemError(f.name, _("The value is longer than %(n)d characters.") % {"n": TEXT_MAX})
        if not value:
            if f.key:
                raise ItemError(f.name, _("Fill in “%(field)s”.") % {"field": f.label})
            values[f.name] = ""
            continue
        if f.type == "date":
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise ItemError(f.name, _("“%(field)s” is not a date (YYYY-MM-DD).") % {"field": f.label}) from None
        elif f.type in ("money", "decimal"):
            try:
                number = Decimal(value.replace(",", ""))
            except InvalidOperation:
                raise ItemError(f.name, _("“%(field)s” is not a number.") % {"field": f.label}) from None
            if not number.is_finite() or number < 0 or number > Decimal("1e13"):
                raise ItemError(f.name, _("“%(field)s” is not a number.") % {"field": f.label})
            value = str(number.quantize(Decimal("0.01")))
        values[f.name] = value
    return values


def key_of(kind: Kind, holder_name: str, values: dict) -> tuple:
    return (kind.code, (holder_name or "").strip(), *[_norm(values.get(f.name, "")) for f in kind.fields if f.key])


def _norm(value: str) -> str:
    return "".join(str(value).split()).lower()


def differing_fields(kind: Kind, reported: dict, recorded: dict) -> list[str]:
    """Names of the non-key fields whose values differ (blank in the record counts as unknown)."""
    return [f.name for f in kind.fields if not f.key and recorded.get(f.name, "") and _norm(reported.get(f.name, "")) != _norm(recorded.get(f.name, ""))]


KIND_CODES = tuple(KINDS)  # hashable, for the API schema
