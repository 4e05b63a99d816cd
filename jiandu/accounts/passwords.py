"""Password policy (SECURITY.md, 等保): at least three of four character classes."""

import re

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
