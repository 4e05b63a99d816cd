"""granian as README and docs/deployment.md run it keeps serving when a worker process dies
(security issue #8: a dead worker used to make granian stop every other one).

Starts the real server on a loopback port with the documented flags, kills the worker that
answered, and checks that the server answers again and has started a new worker. The control case
without `--respawn-failed-workers` shows the test detects the difference. Bounded in time."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTED = ["--interface", "wsgi", "--host", "127.0.0.1", "--workers", "2", "--blocking-threads", "2", "--runtime-mode", "st", "--respawn-failed-workers"]
DEADLINE_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
            return int(response.read())
    except (OSError, ValueError):
        return None


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _until(condition, seconds=DEADLINE_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)  # polling for the server, not waiting for a result to happen to pass
    return None


def test_the_documented_flags_are_the_ones_in_readme_and_deployment_notes():
    for document in ("README.md", "docs/deployment.md"):
        assert "--respawn-failed-workers" in (ROOT / document).read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc to find the worker processes")
@pytest.mark.parametrize("respawn", [True, False], ids=["respawn", "control-without-respawn"])
def test_a_killed_worker_does_not_take_the_server_down(respawn):
    port = _free_port()
    flags = DOCUMENTED if respawn else [f for f in DOCUMENTED if f != "--respawn-failed-workers"]
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", *flags, "--port", str(port), "tests.granian_pid_app:application"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        victim = _until(lambda: _get(port))
        assert victim, "granian did not start"
        workers = _until(lambda: _children(server.pid) if len(_children(server.pid)) >= 2 else None)
        assert victim in workers
        os.kill(victim, signal.SIGKILL)
        if respawn:
            replaced = _until(lambda: (new := _children(server.pid)) and len(new) == 2 and victim not in new and new)
            assert replaced, "the dead worker was not replaced"
            answers = {_get(port) for _ in range(10)}
            assert answers - {None}, "the server no longer answers"
            assert server.poll() is None
        else:
            assert _until(lambda: server.poll() is not None), "control: granian kept running without the flag"
            assert _get(port) is None
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
