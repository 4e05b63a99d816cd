"""core.crypto field encryption (SM4-GCM, AES-256-GCM fallback): round trip, binding to the row,
tamper detection, key separation. SECURITY.md: national algorithms behind one small interface."""

import base64

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from jiandu.core import crypto


@hsettings(max_examples=50, deadline=None)
@given(st.binary(max_size=200), st.binary(min_size=1, max_size=40))
def test_round_trip(plaintext, context):
    stored = crypto.encrypt(plaintext, context=context)
    assert crypto.decrypt(stored, context=context) == plaintext
    if len(plaintext) >= 4:
        assert plaintext not in base64.b64decode(stored.split(":", 2)[2])


def test_sm4_is_used_where_available_and_values_name_their_algorithm():
    stored = crypto.encrypt(b"seed", context=b"ctx")
    assert stored.startswith(f"{crypto.FIELD_ALGORITHM}:{crypto.FIELD_KEY_VERSION}:")
    assert crypto.FIELD_ALGORITHM == ("sm4gcm" if crypto._sm4_gcm_available() else "aes256gcm")


def test_same_plaintext_encrypts_differently_each_time():
    assert crypto.encrypt(b"seed", context=b"ctx") != crypto.encrypt(b"seed", context=b"ctx")


def test_wrong_context_tampering_and_garbage_are_refused():
    stored = crypto.encrypt(b"JBSWY3DPEHPK3PXP", context=b"accounts.user.totp:1")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, context=b"accounts.user.totp:2")
    algorithm, version, payload = stored.split(":", 2)
    raw = bytearray(base64.b64decode(payload))
    raw[15] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{algorithm}:{version}:" + base64.b64encode(bytes(raw)).decode(), context=b"accounts.user.totp:1")
    for bad in ("", "nonsense", "sm4gcm:1:!!!", "sm4gcm:9:" + payload, "rot13:1:" + payload, "sm4gcm:1:" + base64.b64encode(b"short").decode()):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(bad, context=b"accounts.user.totp:1")


def test_a_separate_field_key_makes_old_values_unreadable(settings):
    stored = crypto.encrypt(b"seed", context=b"ctx")
    settings.JIANDU_FIELD_KEY = "a separate key kept outside the database and SECRET_KEY"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, context=b"ctx")
    assert crypto.decrypt(crypto.encrypt(b"seed", context=b"ctx"), context=b"ctx") == b"seed"


def test_values_written_under_the_fallback_stay_readable(monkeypatch):
    """Switching algorithm (e.g. an OpenSSL build without SM4) keeps old values readable: each value
    names the algorithm it was written with."""
    monkeypatch.setattr(crypto, "FIELD_ALGORITHM", "aes256gcm")
    aes_value = crypto.encrypt(b"seed", context=b"ctx")
    monkeypatch.setattr(crypto, "FIELD_ALGORITHM", "sm4gcm")
    sm4_value = crypto.encrypt(b"seed", context=b"ctx")
    assert aes_value.startswith("aes256gcm:") and sm4_value.startswith("sm4gcm:")
    assert crypto.decrypt(aes_value, context=b"ctx") == crypto.decrypt(sm4_value, context=b"ctx") == b"seed"
