"""Password policy (等保): length ≥ 8, 3 of 4 character classes, common passwords refused; the
strong KDF; issued passwords always pass. Property tests with hypothesis."""

import string

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from jiandu.accounts.passwords import generate_password, meets_patterns

CLASSES = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!#$%&*+-=?@^_~.,;:"]


def _refused(password) -> bool:
    try:
        password_validation.validate_password(password)
    except ValidationError:
        return True
    return False


def _classes(password) -> int:
    return sum(any(c in alphabet for c in password) for alphabet in CLASSES)


@hsettings(max_examples=150, deadline=None)
@given(st.text(alphabet="".join(CLASSES), max_size=7))
def test_shorter_than_8_is_refused(password):
    assert _refused(password)


two_class_passwords = st.lists(st.sampled_from([0, 1, 2, 3]), min_size=2, max_size=2, unique=True).flatmap(
    lambda pair: st.text(alphabet=CLASSES[pair[0]] + CLASSES[pair[1]], min_size=8, max_size=40)
)


one_class_passwords = st.sampled_from(CLASSES).flatmap(lambda alphabet: st.text(alphabet=alphabet, min_size=8, max_size=40))


@hsettings(max_examples=200, deadline=None)
@given(st.one_of(one_class_passwords, two_class_passwords))
def test_fewer_than_3_classes_is_refused_however_long(password):
    assert _classes(password) <= 2
    assert _refused(password)


@st.composite
def policy_passwords(draw):
    """≥ 8 characters with ≥ 3 classes, not repetitive enough to look like a common password."""
    chosen = draw(st.lists(st.sampled_from([0, 1, 2, 3]), min_size=3, max_size=4, unique=True))
    chars = [draw(st.sampled_from(CLASSES[i])) for i in chosen]
    alphabet = "".join(CLASSES[i] for i in chosen)
    chars += draw(st.lists(st.sampled_from(alphabet), min_size=8 - len(chars), max_size=30))
    return "".join(draw(st.permutations(chars)))


@hsettings(max_examples=200, deadline=None)
@given(policy_passwords())
def test_long_enough_three_class_passwords_are_accepted_unless_common(password):
    from django.contrib.auth.password_validation import CommonPasswordValidator

    common = password.lower().strip() in CommonPasswordValidator().passwords or not meets_patterns(password)
    assert _refused(password) is common


@pytest.mark.parametrize("password", ["Password1", "P@ssw0rd", "Qwerty123", "Abc12345", "1q2w3e4R"])
def test_common_passwords_are_refused_even_with_three_classes(password):
    assert _classes(password) >= 3 and len(password) >= 8
    assert _refused(password)


@hsettings(max_examples=100, deadline=None)
@given(st.integers(0, 10**6))
def test_issued_passwords_always_meet_the_policy(_n):
    password = generate_password()
    assert len(password) == 14 and _classes(password) == 4
    assert not _refused(password)
    assert not set(password) & set("0O1lI")


def test_strong_kdf_is_the_production_hasher():
    # The test suite puts a fast hasher first (conftest); production uses the settings file's list.
    from config import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    assert PBKDF2PasswordHasher.iterations >= 600_000
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in production.PASSWORD_HASHERS
    assert settings.PASSWORD_MIN_LENGTH == 8  # development; production: test_production_minimum_length_is_12


@pytest.mark.django_db
def test_password_like_the_username_is_refused():
    from jiandu.accounts.models import User

    user = User(username="zhangweiming", full_name="张伟明")
    with pytest.raises(ValidationError):
        password_validation.validate_password("Zhangweiming1", user)


# --- security issue #8 part 9 --------------------------------------------------------------------


def _settings_value(env_extra, expression="settings.PASSWORD_MIN_LENGTH"):
    import os
    import subprocess
    import sys

    code = f"from django.conf import settings; import django; django.setup(); print({expression})"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIANDU_PASSWORD")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_extra})
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_production_minimum_length_is_12():
    production = {"JIANDU_PRODUCTION": "1", "JIANDU_SECRET_KEY": "k" * 60}
    assert _settings_value(production).stdout.strip() == "12"
    assert _settings_value({**production, "JIANDU_PASSWORD_MIN_LENGTH": "14"}).stdout.strip() == "14"
    lowered = _settings_value({**production, "JIANDU_PASSWORD_MIN_LENGTH": "11"})
    assert lowered.returncode != 0 and "at least 12 in production" in lowered.stderr
    assert _settings_value({"JIANDU_PRODUCTION": "0"}).stdout.strip() == "8"


def test_11_characters_refused_12_accepted_with_the_production_minimum(settings):
    settings.PASSWORD_MIN_LENGTH = 12
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password("Kx9#mTq2vLp")  # 11
    assert exc.value.messages == ["密码至少需要 12 个字符。"]
    password_validation.validate_password("Kx9#mTq2vLpz")  # 12
    assert len(generate_password()) >= 12


@pytest.mark.parametrize(
    "password, why",
    [
        ("Shifan@Demo2026", "published"),
        ("shifan@demo2026", "published"),
        ("Shifan@Demo2027!", "published"),
        ("Passw0rd!", "published"),
        ("P@ssw0rd-2026", "published"),
        ("Admin@2026", "published"),
        ("Qwerty-2026!", "published"),
        ("Aa1aaaaa", "repeated"),
        ("Kite-zzzz-29!", "repeated"),
        ("Zxcv-Kite-29!", "sequence"),
        ("Asdf-Kite-29!", "sequence"),
        ("Mm-9876-Tree!", "sequence"),
        ("Kite-1234-Tree!", "sequence"),
        ("Kite-lmno-29!", "sequence"),
    ],
)
def test_published_and_common_patterns_are_refused(password, why):
    messages = {
        "published": "这个密码已公开或过于常见（例如演示密码），请另选一个。",
        "repeated": "密码中相同字符重复过多，请另选一个。",
        "sequence": "密码中含有键盘或字母顺序（如 qwer、asdf、1234），请另选一个。",
    }
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password(password)
    assert messages[why] in exc.value.messages


@pytest.mark.parametrize("password", ["Kite-Tree-29!", "Badminton-Club-9", "Jiandu-Test-2026!", "Mm-9572-Tree!"])
def test_ordinary_passwords_pass_the_pattern_check(password):
    password_validation.validate_password(password)


@pytest.mark.django_db
def test_the_username_inside_the_password_is_refused():
    from jiandu.accounts.models import User

    user = User(username="lw88", full_name="李伟")
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password("Kite-LW88-Tree!", user)
    assert "密码中不能包含用户名。" in exc.value.messages
    password_validation.validate_password("Kite-LW89-Tree!", user)
