"""Load scenario for Locust (scale issue part 4): a meeting votes while officers work.

Voters (one voting code each) do what a phone in the meeting room does: open the voting page,
enter the code, answer every question (the first option of each), review, submit, and check the
receipt; then they leave. Officers log in once and then read list pages, the tenures xlsx export
and the API, and — when the plan names tenures — end one now and then through the API (a write
that the workers turn into a departure audit). Request names are the kinds the report groups by.

Point it at a staging server (never production: the writes are real)::

    JIANDU_LOAD_PLAN=plan.json .venv/bin/locust -f bench/locustfile.py --headless \\
        --host https://staging.example.org -u 1050 -r 3.5 -t 6m --csv load

    plan.json: {"codes": ["ABCD-EFGH-JKLM", ...],           # one per voter (the code sheets)
                "officers": [{"username": "...", "password": "..."}],
                "tenures": [123, ...]}                          # optional: tenures the officers may end

`-u 1050 -r 3.5` spawns the 50 officers first (fixed count) and 1,000 voters over about five
minutes. The stats (p50/p95/p99 and failures per request kind) are in load_stats.csv;
`make bench` runs a bounded version against a local server (bench/bench_load.py).
JIANDU_LOAD_THINK="min,max" sets the voters' and officers' think time in seconds (default 2,8).
"""

import datetime as dt
import itertools
import json
import os
import re
import threading

from locust import HttpUser, between, task
from locust.exception import StopUser

with open(os.environ["JIANDU_LOAD_PLAN"], encoding="utf-8") as _plan_file:
    PLAN = json.load(_plan_file)
_THINK = tuple(float(x) for x in os.environ.get("JIANDU_LOAD_THINK", "2,8").split(","))
_lock = threading.Lock()
_codes = iter(PLAN["codes"])
_tenures = iter(PLAN.get("tenures") or [])
_officers = itertools.cycle(PLAN["officers"])
OFFICERS = int(os.environ.get("JIANDU_LOAD_OFFICERS", "50"))

RADIO = re.compile(r'<input type="radio" name="(a-\d+-\d+)" value="(\d+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(ballot|group)" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _next(iterator):
    with _lock:
        return next(iterator, None)


class Voter(HttpUser):
    weight = 1
    wait_time = between(*_THINK)

    def on_start(self):
        self.code = _next(_codes)

    @task
    def vote(self):
        if self.code is None:
            raise StopUser()
        page = self.client.get("/vote/", name="vote: entry page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post("/vote/", data={"code": self.code, "csrfmiddlewaretoken": token}, name="vote: enter code", catch_response=True) as form:
            fields = {}
            for name, value in RADIO.findall(form.text or ""):
                fields.setdefault(name, value)  # the first option of each question
            fields.update(HIDDEN.findall(form.text or ""))
            if form.status_code != 200 or not fields:
                form.failure(f"no ballot form ({form.status_code})")
                raise StopUser()
        if page.status_code != 200:
            raise StopUser()
        data = {"code": self.code, "csrfmiddlewaretoken": token, **fields}
        self.client.post("/vote/ballot/", data={**data, "step": "review"}, name="vote: review")
        with self.client.post("/vote/ballot/", data={**data, "step": "submit"}, name="vote: submit", catch_response=True) as done:
            if done.status_code != 200 or 'class="receipt"' not in (done.text or ""):
                done.failure(f"no receipt ({done.status_code})")
        raise StopUser()  # one code, one ballot: the voter leaves the meeting's queue


class Officer(HttpUser):
    fixed_count = OFFICERS
    wait_time = between(*_THINK)

    def on_start(self):
        account = _next(_officers)
        self.client.get("/accounts/login/", name="officer: login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            data={"username": account["username"], "password": account["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="officer: log in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused ({response.status_code})")
                raise StopUser()

    @task(4)
    def cadre_list(self):
        self.client.get("/registry/cadres/", name="officer: list page")

    @task(2)
    def tenure_list(self):
        self.client.get("/registry/tenures/", name="officer: list page")

    @task(2)
    def api(self):
        self.client.get("/api/v1/registry/cadres?page_size=50", name="officer: api list")

    @task(1)
    def export(self):
        with self.client.get("/registry/tenures/export/", name="officer: xlsx export", catch_response=True) as response:
            if response.status_code == 200 and not response.content.startswith(b"PK"):
                response.failure("not an xlsx workbook")

    @task(1)
    def end_tenure(self):
        tenure = _next(_tenures)
        if tenure is None:
            return
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            f"/api/v1/registry/tenures/{tenure}/end",
            json={"ended_on": PLAN.get("today") or dt.date.today().isoformat(), "end_reason": "transfer"},
            headers={"X-CSRFToken": token, "Referer": self.host + "/"},
            name="officer: write",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"write refused ({response.status_code}): {response.text[:200]}")
