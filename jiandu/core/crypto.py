"""The one small cryptography interface (SECURITY.md: algorithms swappable for certified products).

National algorithms (SM3, SM4) are preferred; SHA-256 and AES-GCM are the fallbacks where the
OpenSSL build lacks them.
"""

import base64
import hashlib
import hmac as std_hmac
import os
import secrets

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


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


# --- field encryption (secrets kept at rest, e.g. TOTP seeds) -----------------------------------
#
# SM4-GCM (GB/T 32907 block cipher in an authenticated mode) where the OpenSSL build offers it,
# AES-256-GCM otherwise. A stored value names its algorithm and key version, so values written
# under one can still be read after switching to the other or rotating the key:
#     "sm4gcm:1:" + base64(nonce ‖ ciphertext ‖ tag)
# The `context` (e.g. b"accounts.user.totp:42") is bound as associated data: a value copied to
# another row does not decrypt there.


FIELD_KEY_VERSION = "1"


class DecryptionError(Exception):
    """A stored value cannot be decrypted (wrong key, tampered, or copied from another row)."""


def _sm4_gcm_available() -> bool:
    try:
        encryptor = Cipher(algorithms.SM4(b"\0" * 16), modes.GCM(b"\0" * 12)).encryptor()
        encryptor.update(b"probe")
        encryptor.finalize()
        return True
    except (UnsupportedAlgorithm, AttributeError, ValueError):
        return False


FIELD_ALGORITHM = "sm4gcm" if _sm4_gcm_available() else "aes256gcm"


def _field_key(length: int) -> bytes:
    """The field-encryption key: JIANDU_FIELD_KEY (settings or environment) if set, otherwise
    derived from SECRET_KEY. Derivation is a keyed hash with a fixed label, so the same secret
    never serves two purposes."""
    from django.conf import settings

    material = getattr(settings, "JIANDU_FIELD_KEY", "") or os.environ.get("JIANDU_FIELD_KEY", "") or ("field:" + settings.SECRET_KEY)
    derived = bytes.fromhex(keyed_digest(material.encode(), f"jiandu field encryption v{FIELD_KEY_VERSION}".encode()))
    while len(derived) < length:  # SM3 and SHA-256 both give 32 bytes; this never loops today.
        derived += bytes.fromhex(keyed_digest(material.encode(), derived))
    return derived[:length]


def encrypt(plaintext: bytes, *, context: bytes) -> str:
    """Encrypt a small secret for storage in a text column."""
    nonce = secrets.token_bytes(12)
    if FIELD_ALGORITHM == "sm4gcm":
        encryptor = Cipher(algorithms.SM4(_field_key(16)), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(context)
        body = encryptor.update(plaintext) + encryptor.finalize() + encryptor.tag
    else:
        body = AESGCM(_field_key(32)).encrypt(nonce, plaintext, context)
    return f"{FIELD_ALGORITHM}:{FIELD_KEY_VERSION}:" + base64.b64encode(nonce + body).decode("ascii")


def decrypt(stored: str, *, context: bytes) -> bytes:
    """Decrypt a value written by `encrypt` with the same context; DecryptionError otherwise."""
    try:
        algorithm, version, payload = stored.split(":", 2)
        raw = base64.b64decode(payload.encode("ascii"), validate=True)
    except (ValueError, AttributeError) as exc:
        raise DecryptionError("malformed encrypted value") from exc
    if version != FIELD_KEY_VERSION or len(raw) < 12 + 16:
        raise DecryptionError("unknown key version or truncated value")
    nonce, body = raw[:12], raw[12:]
    try:
        if algorithm == "sm4gcm":
            decryptor = Cipher(algorithms.SM4(_field_key(16)), modes.GCM(nonce, body[-16:])).decryptor()
            decryptor.authenticate_additional_data(context)
            return decryptor.update(body[:-16]) + decryptor.finalize()
        if algorithm == "aes256gcm":
            return AESGCM(_field_key(32)).decrypt(nonce, body, context)
    except (InvalidTag, UnsupportedAlgorithm) as exc:
        raise DecryptionError("value does not decrypt under this key and context") from exc
    raise DecryptionError(f"unknown algorithm {algorithm}")
