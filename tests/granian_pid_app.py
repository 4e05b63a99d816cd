"""A WSGI application that answers with the id of the worker process serving it (used by
tests/test_granian_respawn.py)."""

import os


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
