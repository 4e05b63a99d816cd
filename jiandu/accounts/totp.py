"""Time-based one-time passwords (RFC 6238) for the second login step: the seed, the QR code for
enrolment, and the check. The seed is stored only encrypted (core.crypto); writes happen in
accounts.actions."""

import time

import pyotp
import segno
from django.utils.translation import gettext as _

from jiandu.core import crypto

ISSUER = "Jiandu"
DIGITS = 6
INTERVAL = 30
# Accept the previous and the next 30-second step too: phones' clocks drift.
VALID_WINDOW = 1


def new_seed() -> str:
    return pyotp.random_base32(32)


def seal(user, seed: str) -> str:
    return crypto.encrypt(seed.encode("ascii"), context=user.totp_context)


def unseal(user) -> str:
    return crypto.decrypt(user.totp_secret, context=user.totp_context).decode("ascii")


def provisioning_uri(user, seed: str) -> str:
    return pyotp.TOTP(seed, digits=DIGITS, interval=INTERVAL).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG markup (no external image, no inline style: CSP-clean)."""
    title = _("QR code for your authenticator app")
    return segno.make(uri, error="m").svg_inline(scale=4, border=2, title=title, svgclass="qr", lineclass=None, omitsize=False)


def grouped(seed: str) -> str:
    """The seed in groups of four for typing by hand."""
    return " ".join(seed[i : i + 4] for i in range(0, len(seed), 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def matching_step(seed: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code equals `code` within the allowed window, or None."""
    code = normalise_code(code)
    if len(code) != DIGITS:
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(seed, digits=DIGITS, interval=INTERVAL)
    current = int(now // INTERVAL)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if crypto.constant_time_equal(totp.at(step * INTERVAL), code):
            return step
    return None
