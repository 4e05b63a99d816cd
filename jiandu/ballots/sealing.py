"""Sealing ballots while voting is open (docs/decisions/0005-ballot-secrecy.md).

Each ballot definition gets a random 256-bit data key when it opens, stored only wrapped under the
installation's ballot key (`JIANDU_BALLOT_KEY`, 32 bytes as hex or base64; in development derived
from SECRET_KEY). Accepted ballots are sealed with AES-256-GCM under the data key, bound to the
ballot by the associated data, and padded to a multiple of PAD bytes so that the length of a sealed
row says nothing about the choices. On close the data key is destroyed after the shuffled
write-out, so sealed rows surviving in backups, WAL or free pages cannot be opened afterwards.

To be consolidated into jiandu.core.crypto (one small cryptography interface, SM4 when certified
products are required).
"""

import base64
import binascii
import json
import os
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PAD = 256
NONCE = 12


class SealError(Exception):
    """A sealed value could not be opened (wrong key, tampering, or the key was destroyed)."""


def _installation_key() -> bytes:
    raw = os.environ.get("JIANDU_BALLOT_KEY", "").strip()
    if raw:
        for decode in (bytes.fromhex, base64.b64decode):
            try:
                key = decode(raw)
            except (ValueError, binascii.Error):
                continue
            if len(key) == 32:
                return key
        raise RuntimeError("JIANDU_BALLOT_KEY must be 32 bytes, hex or base64")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"jiandu ballots sealing key").derive(settings.SECRET_KEY.encode())


def new_wrapped_key() -> bytes:
    """A fresh data key, wrapped for storage."""
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(_installation_key()).encrypt(nonce, key, b"jiandu ballot data key")


def unwrap_key(wrapped: bytes) -> bytes:
    wrapped = bytes(wrapped or b"")
    if len(wrapped) <= NONCE:
        raise SealError("the ballot's data key has been destroyed")
    try:
        return AESGCM(_installation_key()).decrypt(wrapped[:NONCE], wrapped[NONCE:], b"jiandu ballot data key")
    except Exception as exc:  # noqa: BLE001 - cryptography raises InvalidTag; anything else is the same failure
        raise SealError("the ballot's data key cannot be unwrapped") from exc


def _aad(ballot_id: int) -> bytes:
    return f"jiandu ballot {ballot_id}".encode()


def seal(key: bytes, ballot_id: int, payload: dict) -> bytes:
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    framed = struct.pack(">I", len(body)) + body
    framed += b"\0" * (-len(framed) % PAD)
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(key).encrypt(nonce, framed, _aad(ballot_id))


def unseal(key: bytes, ballot_id: int, sealed: bytes) -> dict:
    sealed = bytes(sealed)
    try:
        framed = AESGCM(key).decrypt(sealed[:NONCE], sealed[NONCE:], _aad(ballot_id))
    except Exception as exc:  # noqa: BLE001
        raise SealError("a sealed ballot cannot be opened") from exc
    (length,) = struct.unpack(">I", framed[:4])
    return json.loads(framed[4 : 4 + length])
