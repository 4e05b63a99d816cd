"""Password policy (SECURITY.md, 等保; security issue #8 part 9): a minimum length set by
settings.PASSWORD_MIN_LENGTH (12 in production), at least three of four character classes, no
published or common password or pattern, no reuse of the last five (actions)."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The password of the demo accounts, printed in the README: never acceptable as a chosen password.
# Only `manage.py load_demo` sets it, with published_demo_password=True (accounts.actions).
DEMO_PASSWORD = "Shifan@Demo2026"

_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern in _CLASSES if pattern.search(password or ""))
        if found < self.min_classes:
            raise ValidationError(
                _("The password must contain at least %(n)d of: lower-case letters, upper-case letters, digits, symbols.") % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self):
        return _("At least %(n)d of: lower-case letters, upper-case letters, digits, symbols.") % {"n": self.min_classes}


class MinimumLengthValidator:
    """At least settings.PASSWORD_MIN_LENGTH characters (JIANDU_PASSWORD_MIN_LENGTH; 12 in
    production, where less is refused at start-up)."""

    def validate(self, password, user=None):
        n = settings.PASSWORD_MIN_LENGTH
        if len(password or "") < n:
            raise ValidationError(_("The password must have at least %(n)d characters.") % {"n": n}, code="password_too_short")

    def get_help_text(self):
        return _("At least %(n)d characters.") % {"n": settings.PASSWORD_MIN_LENGTH}


# Letters that stand for other letters in "clever" passwords (Passw0rd, P@ssw0rd, 5h1fan).
_LEET = str.maketrans({"0": "o", "1": "i", "!": "i", "|": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t", "8": "b", "9": "g"})
# Whole passwords once digits and symbols are taken away ("Admin@2026", "Qwerty123!").
_COMMON_WORDS = frozenset(
    """password passwd pass admin administrator root user test guest qwerty qwertyuiop asdf asdfgh
    zxcv letmein welcome iloveyou changeme secret monkey dragon sunshine football baseball master
    shadow superman abc abcd abcdef trustno login jiandu shifan demo shifandemo woaini zhongguo china
    beijing shanghai aa aaa aaaa""".split()
)
# Anywhere in a password, after the letter substitutions above.
_BLOCKED_PARTS = ("password", "passwort", "shifandemo", "iloveyou", "changeme", "administrator", "qwerty")
_WALKS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "abcdefghijklmnopqrstuvwxyz", "1qaz2wsx3edc", "qazwsxedc")
WALK_LENGTH = 4


def _has_walk(text: str) -> bool:
    for walk in _WALKS:
        for sequence in (walk, walk[::-1]):
            for i in range(len(sequence) - WALK_LENGTH + 1):
                if sequence[i : i + WALK_LENGTH] in text:
                    return True
    return False


class PatternValidator:
    """Refuses the published demo password, common passwords in disguise (Passw0rd!, Admin@2026),
    keyboard and alphabet walks (qwer, 1234, dcba), one character repeated (aaaa, Aa1aaaaa) and
    the username inside the password."""

    def validate(self, password, user=None):
        text = (password or "").lower()
        normalised = text.translate(_LEET)
        letters = re.sub(r"[^a-z]", "", normalised)
        plain_letters = re.sub(r"[^a-z]", "", text)
        if (
            text == DEMO_PASSWORD.lower()
            or letters in _COMMON_WORDS
            or plain_letters in _COMMON_WORDS
            or any(part in normalised or part in letters for part in _BLOCKED_PARTS)
        ):
            raise ValidationError(_("This password is published or too common (for example the demo password). Choose another."), code="password_common")
        if _has_walk(text):
            raise ValidationError(
                _("The password contains a keyboard or alphabet sequence such as qwer, asdf or 1234. Choose another."), code="password_sequence"
            )
        if re.search(r"(.)\1{3}", text) or len(set(text)) < 5:
            raise ValidationError(_("The password repeats the same characters too much. Choose another."), code="password_repeated")
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in text:
            raise ValidationError(_("The password must not contain the username."), code="password_username")

    def get_help_text(self):
        return _("Not a common or published password, no keyboard sequences or repeated characters, not the username.")


def meets_patterns(password: str) -> bool:
    try:
        PatternValidator().validate(password)
    except ValidationError:
        return False
    return True


# Issued passwords avoid characters that are easy to misread on paper (0/O, 1/l/I).
_ISSUE_ALPHABETS = ("abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=?@")


def generate_password(length: int = 14) -> str:
    """A random password for issuing to a user (shown once; they must change it at first login).
    It has every character class, so it always meets the policy."""

    everything = "".join(_ISSUE_ALPHABETS)
    while True:  # a random draw may, rarely, contain a sequence such as "abcd": draw again
        chars = [secrets.choice(alphabet) for alphabet in _ISSUE_ALPHABETS]
        chars += [secrets.choice(everything) for _ in range(max(length, settings.PASSWORD_MIN_LENGTH) - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if meets_patterns(password):
            return password
