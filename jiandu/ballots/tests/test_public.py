"""The voters' pages: plain form posts from code to receipt, every refusal, bad requests."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.ballots import actions, codes
from jiandu.ballots.models import SealedBallot, VotingCode
from jiandu.core.actions import change_setting
from jiandu.core.models import JournalEntry
from jiandu.testing import ballot_spec, make_ballot, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db

ENTER = "/vote/"
BALLOT = "/vote/ballot/"


@pytest.fixture
def unit():
    return make_unit(name="区发改局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


@pytest.fixture
def ballot(unit, officer):
    return make_ballot(unit=unit, actor=officer, spec=ballot_spec(subjects=("张伟明", "李红"), questions="five_dimensions"), open=True)


@pytest.fixture
def code(ballot, officer):
    return actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=3)[1][0]


def csrf_client():
    client = Client(enforce_csrf_checks=True)
    client.get(ENTER)
    return client, client.cookies["csrftoken"].value


def radio_fields(html: str) -> dict:
    """name → first option value of every radio group in the page (a voter ticking the first box)."""
    fields = {}
    for name, value in re.findall(r'type="radio" name="(a-\d+-\d+)" value="(\d+)"', html):
        fields.setdefault(name, value)
    return fields


def test_full_vote_without_javascript(ballot, code):
    client, token = csrf_client()
    page = client.get(ENTER, {"c": code})
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    assert "张伟明" in html and "德" in html
    answers = radio_fields(html)
    assert len(answers) == 12
    review = client.post(BALLOT, {"csrfmiddlewaretoken": token, "code": code, "step": "review", **answers})
    assert review.status_code == 200 and "Submit my ballot" in review.content.decode() or "提交" in review.content.decode()
    assert not SealedBallot.objects.exists()
    edit = client.post(BALLOT, {"csrfmiddlewaretoken": token, "code": code, "step": "edit", **answers})
    assert "checked" in edit.content.decode()
    done = client.post(BALLOT, {"csrfmiddlewaretoken": token, "code": code, "step": "submit", **answers})
    assert done.status_code == 200
    receipt = re.search(r'class="receipt">([0-9A-Z-]+)<', done.content.decode()).group(1)
    assert codes.receipt_problem(receipt) is None
    assert SealedBallot.objects.count() == 1
    again = client.post(BALLOT, {"csrfmiddlewaretoken": token, "code": code, "step": "submit", **answers})
    assert again.status_code == 409
    assert SealedBallot.objects.count() == 1


def test_manual_code_entry_by_post(ballot, code):
    client, token = csrf_client()
    page = client.post(ENTER, {"csrfmiddlewaretoken": token, "code": code.lower()})
    assert page.status_code == 200 and len(radio_fields(page.content.decode())) == 12


def test_incomplete_ballot_marks_missing_questions(ballot, code):
    client, token = csrf_client()
    answers = radio_fields(client.get(ENTER, {"c": code}).content.decode())
    dropped = sorted(answers)[0]
    del answers[dropped]
    page = client.post(BALLOT, {"csrfmiddlewaretoken": token, "code": code, "step": "submit", **answers})
    assert page.status_code == 400
    html = page.content.decode()
    assert f'id="q-{dropped}"' in html and 'class="question missing"' in html
    assert not SealedBallot.objects.exists() and not VotingCode.objects.filter(is_used=True).exists()


@pytest.mark.parametrize(
    ("field_change", "status"),
    [("foreign_subject", 400), ("tampered_option", 400), ("garbage_value", 400), ("garbage_name", 400)],
)
def test_tampered_ballots_are_refused_and_store_nothing(ballot, code, field_change, status):
    client, token = csrf_client()
    answers = radio_fields(client.get(ENTER, {"c": code}).content.decode())
    name = sorted(answers)[0]
    if field_change == "foreign_subject":
        answers["a-999999-1"] = answers[name]
    elif field_change == "tampered_option":
        answers[name] = "999999"
    elif field_change == "garbage_value":
        answers[name] = "<script>"
    else:
        answers["a-x-y"] = "1"
    page = client.post(BALLOT, {"csrfmiddlewaretoken": token, "code": code, "step": "submit", **answers})
    assert page.status_code == status
    assert "<script>" not in page.content.decode()
    assert not SealedBallot.objects.exists() and not VotingCode.objects.filter(is_used=True).exists()


def test_wrong_content_type_and_oversized_body(ballot, code):
    client, token = csrf_client()
    response = client.post(BALLOT, data='{"code": "x"}', content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 415
    big = {"csrfmiddlewaretoken": token, "code": code, "step": "submit", "padding": "x" * 300_000}
    response = client.post(BALLOT, big)
    assert response.status_code == 413
    assert not SealedBallot.objects.exists()


def test_csrf_is_enforced(ballot, code):
    client = Client(enforce_csrf_checks=True)
    response = client.post(BALLOT, {"code": code, "step": "submit"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("make_code", "status", "message"),
    [
        (lambda c: "nonsense", 400, "not a voting code"),
        (lambda c: codes.new_code(), 400, "not known"),
    ],
)
def test_unknown_and_malformed_codes(ballot, code, make_code, status, message, settings):
    settings.LANGUAGE_CODE = "en"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(ENTER, {"c": make_code(code)})
    assert page.status_code == status and message in page.content.decode()


def test_messages_for_not_open_and_closed(unit, officer):
    draft = make_ballot(unit=unit, actor=officer)
    code = actions.generate_codes(actor=officer, ballot=draft, group=draft.groups.get(), count=1)[1][0]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(ENTER, {"c": code})
    assert page.status_code == 403 and "not opened yet" in page.content.decode()
    opened = actions.open_ballot(actor=officer, ballot=draft)
    actions.close_ballot(actor=officer, ballot=opened)
    page = client.get(ENTER, {"c": code})
    assert page.status_code == 410 and "closed" in page.content.decode()


def test_chinese_by_default(ballot, code):
    page = Client().get(ENTER, {"c": codes.new_code()})
    assert "测评码" in page.content.decode()


def test_rate_limit_per_address(ballot, code):
    change_setting(actor=registrar(), key="ballots.code_attempt_limit", value="3")
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(3):
        assert client.get(ENTER, {"c": codes.new_code()}).status_code == 400
    assert client.get(ENTER, {"c": code}).status_code == 429  # even a good code waits
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.get(ENTER, {"c": code}).status_code == 200  # other addresses are not affected


def test_successful_lookups_do_not_count_toward_the_limit(ballot, code):
    change_setting(actor=registrar(), key="ballots.code_attempt_limit", value="2")
    client = Client()
    for _ in range(5):
        assert client.get(ENTER, {"c": code}).status_code == 200


def test_receipts_page(ballot, code, officer):
    receipt = actions.submit_ballot(code=code, answers={(s, q): o[0] for (s, q), o in _layout(ballot, code).items()})
    url = reverse("vote:receipts", args=[ballot.public_id])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert receipt not in client.get(url).content.decode()  # not before close
    actions.close_ballot(actor=officer, ballot=ballot)
    page = client.get(url, {"r": receipt.lower()})
    html = page.content.decode()
    assert receipt in html and "was counted" in html
    assert "not on the list" in client.get(url, {"r": codes.new_receipt()}).content.decode()
    assert "not a receipt" in client.get(url, {"r": "abc"}).content.decode()
    assert client.get("/vote/receipts/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_self_report_shown_and_downloadable_with_code(ballot, code, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    subject = ballot.subjects.get(key="s1")
    actions.set_subject_report(
        actor=officer, subject=subject, text="述职内容", file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    )
    client, token = csrf_client()
    html = client.get(ENTER, {"c": code}).content.decode()
    assert "述职内容" in html
    response = client.post(f"/vote/report/{subject.public_id}/", {"csrfmiddlewaretoken": token, "code": code})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    refused = client.post(f"/vote/report/{subject.public_id}/", {"csrfmiddlewaretoken": token, "code": codes.new_code()})
    assert refused.status_code == 400


def _layout(ballot, code):
    from jiandu.ballots import structure

    shape = structure.load(ballot)
    group = actions.check_code(code).group
    return {(i.subject_id, i.question_id): i.option_ids for i in shape.layouts[group.pk].items}


def test_rotating_x_real_ip_from_an_untrusted_address_does_not_bypass_the_limit(ballot, code):
    """Attack (issue #8 part 5): X-Real-IP is believed only from a trusted proxy."""
    change_setting(actor=registrar(), key="ballots.code_attempt_limit", value="3")
    client = Client(REMOTE_ADDR="10.1.2.5")
    for i in range(3):
        assert client.get(ENTER, {"c": codes.new_code()}, HTTP_X_REAL_IP=f"10.66.0.{i + 1}").status_code == 400
    assert client.get(ENTER, {"c": code}, HTTP_X_REAL_IP="10.66.0.99").status_code == 429
    ips = set(JournalEntry.objects.filter(action="ballots.code.rejected").values_list("ip", flat=True))
    assert ips == {"10.1.2.5"}  # the real address, not the claimed ones


def test_300_bad_codes_write_a_bounded_number_of_journal_rows(ballot, code):
    """Attack (issue #8 part 5): 300 wrong codes used to write 300 permanent rows. Repeated refusals
    are aggregated per address and reason: the 1st, 10th and 100th write an entry with the count."""
    change_setting(actor=registrar(), key="ballots.code_attempt_limit", value="1000")  # the limit out of the way: only the journal is measured
    client = Client(REMOTE_ADDR="10.1.2.6")
    for _ in range(300):
        assert client.get(ENTER, {"c": codes.new_code()}).status_code == 400
    rows = list(JournalEntry.objects.filter(action="ballots.code.rejected").order_by("seq"))
    print(f"300 wrong voting codes: {len(rows)} journal rows")
    assert [(r.data["reason"], r.data["count"], r.ip, r.outcome) for r in rows] == [
        ("unknown", 1, "10.1.2.6", "denied"),
        ("unknown", 10, "10.1.2.6", "denied"),
        ("unknown", 100, "10.1.2.6", "denied"),
    ]
    other = Client(REMOTE_ADDR="10.1.2.7")  # another address is journaled on its own
    assert other.get(ENTER, {"c": codes.new_code()}).status_code == 400
    assert JournalEntry.objects.filter(action="ballots.code.rejected", ip="10.1.2.7").count() == 1
