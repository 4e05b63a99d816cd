"""Voting codes and receipts: random Crockford base32 with a Luhn mod 32 check character.

A voting code is 15 random symbols (75 bits of entropy, SECURITY.md asks ≥ 64) plus one check
symbol, printed in four groups: ``K7QD-9X2M-4HTR-B8WZ``. Crockford's alphabet has no I, L, O or U;
typed I/L read as 1 and O as 0, case and separators are ignored. The check symbol catches every
single mistyped symbol and most swaps of neighbours, so a typo is reported as a typo without a
database look-up. Codes are stored only as `crypto.digest` of the normalised form.
"""

import secrets

from jiandu.core import crypto

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
N = len(ALPHABET)

CODE_RANDOM_SYMBOLS = 15
RECEIPT_RANDOM_SYMBOLS = 11


def _luhn_total(symbols: str, double_first: bool) -> int:
    total = 0
    double = double_first
    for ch in reversed(symbols):
        addend = _INDEX[ch] * (2 if double else 1)
        total += addend // N + addend % N
        double = not double
    return total


def check_symbol(payload: str) -> str:
    return ALPHABET[(N - _luhn_total(payload, double_first=True) % N) % N]


def _is_consistent(symbols: str) -> bool:
    return _luhn_total(symbols, double_first=False) % N == 0


def _random_symbols(count: int) -> str:
    """`count` uniformly random symbols: 5 bits each from the operating system's CSPRNG."""
    bits = secrets.randbits(5 * count)
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(count))


def _grouped(symbols: str) -> str:
    return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))


def new_code() -> str:
    payload = _random_symbols(CODE_RANDOM_SYMBOLS)
    return _grouped(payload + check_symbol(payload))


def new_receipt() -> str:
    payload = _random_symbols(RECEIPT_RANDOM_SYMBOLS)
    return _grouped(payload + check_symbol(payload))


def normalise(text: str) -> str:
    """Upper case, aliases mapped, spaces and dashes dropped (may still be malformed)."""
    text = (text or "").upper().translate(_ALIASES)
    return "".join(ch for ch in text if ch not in " -_\t\r\n")


def problem(text: str, length: int = CODE_RANDOM_SYMBOLS + 1) -> str | None:
    """'empty', 'malformed' or 'mistyped' for an unusable code, None when it is well formed."""
    return symbols_problem(normalise(text), length)


def symbols_problem(symbols: str, length: int = CODE_RANDOM_SYMBOLS + 1) -> str | None:
    """problem() of an already normalised code."""
    if not symbols:
        return "empty"
    if len(symbols) != length or any(ch not in _INDEX for ch in symbols):
        return "malformed"
    if not _is_consistent(symbols):
        return "mistyped"
    return None


def display(text: str) -> str:
    return _grouped(normalise(text))


def code_hash(text: str) -> str:
    return symbols_hash(normalise(text))


def symbols_hash(symbols: str) -> str:
    """code_hash() of an already normalised code."""
    return crypto.digest(("ballot-code:" + symbols).encode())


def receipt_problem(text: str) -> str | None:
    return problem(text, RECEIPT_RANDOM_SYMBOLS + 1)
