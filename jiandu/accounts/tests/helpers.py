"""Small helpers shared by the accounts tests (not builders: those live in jiandu/testing.py)."""

import re

from django.test import Client

from jiandu.accounts.ratelimit import CHALLENGE_KEY

LOGIN_URL = "/accounts/login/"
CODE_URL = "/accounts/login/code/"

_CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+')


def post_login(client: Client, username: str, password: str, solve: bool = True, **extra):
    """Post the login form. When the page refuses it for want of the challenge answer (after
    several failures), answer the sum the way a person (or a determined script) would, once."""
    data = {"username": username, "password": password}
    response = client.post(LOGIN_URL, data, **extra)
    if solve and response.context is not None and response.context.get("challenge_refused"):
        data["answer"] = str(client.session[CHALLENGE_KEY])
        response = client.post(LOGIN_URL, data, **extra)
    return response


def without_csrf(content: bytes) -> bytes:
    """The page with every CSRF token (masked differently on each render) replaced by a marker."""
    return _CSRF.sub(lambda m: (m.group(1) or m.group(2)) + b"<csrf>", content)


def logged_in_user_id(client: Client):
    return client.session.get("_auth_user_id")
