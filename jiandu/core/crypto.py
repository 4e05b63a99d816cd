"""The one small cryptography interface (SECURITY.md: algorithms swappable for certified products).

National algorithms (SM3) are preferred; SHA-256 is the fallback where the OpenSSL build lacks SM3.
"""

import hashlib
import hmac as std_hmac
import secrets

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac


def _sm3_available() -> bool:
    try:
        h = crypto_hmac.HMAC(b"probe", hashes.SM3())
        h.update(b"probe")
        h.finalize()
        return True
    except (UnsupportedAlgorithm, AttributeError):
        return False


ALGORITHM = "hmac-sm3" if _sm3_available() else "hmac-sha256"


def keyed_digest(key: bytes, message: bytes, algorithm: str = ALGORITHM) -> str:
    """Return the hex HMAC of message under key with the named algorithm."""
    if algorithm == "hmac-sm3":
        h = crypto_hmac.HMAC(key, hashes.SM3())
        h.update(message)
        return h.finalize().hex()
    if algorithm == "hmac-sha256":
        return std_hmac.new(key, message, hashlib.sha256).hexdigest()
    raise ValueError(f"unknown algorithm {algorithm}")


def digest(message: bytes) -> str:
    """Unkeyed hash for storing one-time secrets (voting codes, API tokens)."""
    if ALGORITHM == "hmac-sm3":
        h = hashes.Hash(hashes.SM3())
        h.update(message)
        return h.finalize().hex()
    return hashlib.sha256(message).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())


def random_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)
