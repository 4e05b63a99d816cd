"""Small helpers shared by the accounts tests (not builders: those live in jiandu/testing.py)."""

import re

from django.test import Client

LOGIN_URL = "/accounts/login/"
CODE_URL = "/accounts/login/code/"

_CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+')


def post_login(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def without_csrf(content: bytes) -> bytes:
    """The page with every CSRF token (masked differently on each render) replaced by a marker."""
    return _CSRF.sub(lambda m: (m.group(1) or m.group(2)) + b"<csrf>", content)


def logged_in_user_id(client: Client):
    return client.session.get("_auth_user_id")
