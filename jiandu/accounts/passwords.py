"""Password policy (SECURITY.md, 等保): at least three of four character classes."""

import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


# Issued passwords avoid characters that are easy to misread on paper (0/O, 1/l/I).
_ISSUE_ALPHABETS = ("abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=?@")


def generate_password(length: int = 14) -> str:
    """A random password for issuing to a user (shown once; they must change it at first login).
    It has every character class, so it always meets the policy."""

    chars = [secrets.choice(alphabet) for alphabet in _ISSUE_ALPHABETS]
    everything = "".join(_ISSUE_ALPHABETS)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
