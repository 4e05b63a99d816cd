"""因私出国（境）证照 custody: register, custody, approved travel, return deadline, overdue boundary."""

import datetime as dt

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.matters import actions, queries
from jiandu.testing import log_in


@pytest.fixture
def kept(district):
    holder = actions.register_holder(actor=district.org_officer, cadre=district.zhang, registered_on=dt.date(2026, 1, 5))
    document = actions.receive_document(actor=district.org_officer, holder=holder, kind="passport", number="E12345678", received_on=dt.date(2026, 1, 6))
    travel = actions.request_travel(
        actor=district.org_officer, holder=holder, destination="泰国", purpose="探亲", departs_on=dt.date(2026, 7, 1), returns_on=dt.date(2026, 7, 10)
    )
    return holder, document, travel


def test_only_an_approved_trip_lends_a_document_due_ten_days_after_the_return(district, kept):
    holder, document, travel = kept
    with pytest.raises(ActionError):
        actions.lend_document(actor=district.org_officer, document=document, travel=travel, lent_on=dt.date(2026, 6, 28))
    with pytest.raises(NotVisible):  # the officer does not approve
        actions.decide_travel(actor=district.org_officer, travel=travel, approve=True)
    actions.decide_travel(actor=district.org_head, travel=travel, approve=True)
    loan = actions.lend_document(actor=district.org_officer, document=document, travel=travel, lent_on=dt.date(2026, 6, 28))
    assert loan.due_on == dt.date(2026, 7, 20)
    with pytest.raises(ActionError):  # already out
        actions.lend_document(actor=district.org_officer, document=document, travel=travel, lent_on=dt.date(2026, 6, 28))


def test_overdue_from_the_day_after_the_due_date(district, kept):
    holder, document, travel = kept
    actions.decide_travel(actor=district.org_head, travel=travel, approve=True)
    loan = actions.lend_document(actor=district.org_officer, document=document, travel=travel, lent_on=dt.date(2026, 6, 28))
    assert not queries.overdue_loans(district.org_officer, today=dt.date(2026, 7, 20)).exists()
    assert list(queries.overdue_loans(district.org_officer, today=dt.date(2026, 7, 21))) == [loan]
    actions.return_document(actor=district.org_officer, loan=loan, returned_on=dt.date(2026, 7, 24))
    assert not queries.overdue_loans(district.org_officer, today=dt.date(2026, 7, 25)).exists()
    assert JournalEntry.objects.filter(action="matters.passport.returned", data__late_days=4).exists()
    document.refresh_from_db()
    assert document.status == "kept"


def test_a_refused_trip_lends_nothing_and_nobody_decides_their_own(district, kept):
    holder, document, travel = kept
    actions.decide_travel(actor=district.org_head, travel=travel, approve=False)
    with pytest.raises(ActionError):
        actions.lend_document(actor=district.org_officer, document=document, travel=travel, lent_on=dt.date(2026, 6, 28))
    with pytest.raises(ActionError):
        actions.decide_travel(actor=district.org_head, travel=travel, approve=True)


def test_bad_input_is_refused(district, kept):
    holder, document, travel = kept
    with pytest.raises(ActionError):
        actions.register_holder(actor=district.org_officer, cadre=district.zhang, registered_on=dt.date(2026, 1, 5))
    with pytest.raises(ActionError):
        actions.receive_document(actor=district.org_officer, holder=holder, kind="passport", number="E12345678", received_on=dt.date(2026, 1, 6))
    with pytest.raises(ActionError):
        actions.request_travel(
            actor=district.org_officer, holder=holder, destination="x\x00", purpose="探亲", departs_on=dt.date(2026, 7, 1), returns_on=dt.date(2026, 7, 2)
        )
    with pytest.raises(ActionError):
        actions.request_travel(
            actor=district.org_officer, holder=holder, destination="日本", purpose="旅游", departs_on=dt.date(2026, 7, 5), returns_on=dt.date(2026, 7, 2)
        )


def test_register_export_is_the_heads_journaled_action_in_the_exit_entry_columns(district, kept, client):
    import io

    import openpyxl

    log_in(client, district.org_officer)  # custody, but not the head's export
    assert client.get("/matters/passports/export.xlsx").status_code == 404
    with pytest.raises(NotVisible):
        actions.export_register(actor=district.org_officer)
    log_in(client, district.li_user)
    assert client.get("/matters/passports/export.xlsx").status_code == 404
    assert not JournalEntry.objects.filter(action="matters.passports.exported").exists()
    log_in(client, district.org_head)
    response = client.get("/matters/passports/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert JournalEntry.objects.filter(action="matters.passports.exported", data__rows=1).exists()
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] in ("Name", "姓名"))
    assert len([h for h in header if h]) == 7
    data = rows[rows.index(header) + 1]
    assert data[0] == "张伟明" and data[3] == district.zhang.id_number  # the head reads the ID number in clear
    assert data[6] in ("leading cadre at county/division level and above", "县处级以上领导干部")


def test_filing_kind_is_one_of_the_list(district):
    with pytest.raises(ActionError):
        actions.register_holder(actor=district.org_officer, cadre=district.li, registered_on=dt.date(2026, 1, 5), filing_kind="tourist")
    holder = actions.register_holder(actor=district.org_officer, cadre=district.li, registered_on=dt.date(2026, 1, 5), filing_kind="classified")
    assert holder.filing_kind == "classified"


@pytest.fixture
def lent(district, kept):
    holder, document, travel = kept
    actions.decide_travel(actor=district.org_head, travel=travel, approve=True)
    return actions.lend_document(actor=district.org_officer, document=document, travel=travel, lent_on=dt.date(2026, 6, 28))  # due 2026-07-20


def test_reminder_from_three_days_before_the_due_date_once(district, lent):
    assert actions.send_passport_reminders(today=dt.date(2026, 7, 16)) == 0  # four days before
    assert actions.send_passport_reminders(today=dt.date(2026, 7, 17)) == 1  # three days before
    assert actions.send_passport_reminders(today=dt.date(2026, 7, 18)) == 0  # once
    entry = JournalEntry.objects.get(action="matters.passport.reminded")
    assert entry.cadre_id == district.zhang.pk and entry.data == {"due_on": "2026-07-20"}


def test_a_return_before_the_reminder_sends_none(district, lent):
    actions.return_document(actor=district.org_officer, loan=lent, returned_on=dt.date(2026, 7, 11))
    assert actions.send_passport_reminders(today=dt.date(2026, 7, 17)) == 0


def test_escalation_to_the_head_five_days_overdue_once(district, lent, client):
    assert actions.escalate_overdue_passports(today=dt.date(2026, 7, 24)) == 0  # four days overdue
    assert actions.escalate_overdue_passports(today=dt.date(2026, 7, 25)) == 1  # five days
    assert actions.escalate_overdue_passports(today=dt.date(2026, 7, 26)) == 0  # once
    lent.refresh_from_db()
    assert lent.escalated_on == dt.date(2026, 7, 25)
    assert JournalEntry.objects.get(action="matters.passport.escalated").data["days_overdue"] == 5
    log_in(client, district.org_head)
    page = client.get("/matters/passports/").content.decode()
    assert "2026-07-25" in page and "张伟明" in page


def test_the_job_runs_both(district, lent):
    from jiandu.matters import jobs

    assert "reminders" in jobs.passport_returns()


def test_passport_pages_open_for_org_officers_and_refuse_other_roles(district, kept, client):
    holder, document, travel = kept
    actions.decide_travel(actor=district.org_head, travel=travel, approve=True)
    loan = actions.lend_document(actor=district.org_officer, document=document, travel=travel, lent_on=dt.date(2026, 6, 28))
    pages = ["/matters/passports/", f"/matters/holders/{holder.pk}/", "/matters/passports/export.xlsx"]
    posts = [
        ("/matters/passports/register/", {"cadre": district.li.pk, "registered_on": "2026-01-01"}),
        (f"/matters/holders/{holder.pk}/document/", {"kind": "passport", "number": "E9", "received_on": "2026-01-01"}),
        (f"/matters/holders/{holder.pk}/travel/", {"destination": "日本", "purpose": "旅游", "departs_on": "2026-08-01", "returns_on": "2026-08-05"}),
        (f"/matters/holders/{holder.pk}/lend/", {"document": document.pk, "travel": travel.pk, "lent_on": "2026-06-28"}),
        (f"/matters/travels/{travel.pk}/decide/", {"approve": "1"}),
        (f"/matters/loans/{loan.pk}/return/", {"returned_on": "2026-07-11"}),
    ]
    for user in (district.li_user, district.officer):  # a cadre; the matters role alone
        log_in(client, user)
        for url in pages:
            assert client.get(url).status_code == 404, url
        for url, data in posts:
            assert client.post(url, data).status_code == 404, url
    log_in(client, district.org_officer)
    for url in pages[:2]:
        page = client.get(url)
        assert page.status_code == 200 and "张伟明" in page.content.decode()
    client.post(posts[-1][0], posts[-1][1])
    loan.refresh_from_db()
    assert loan.returned_on == dt.date(2026, 7, 11)


def test_the_escalation_notifies_the_head_once(district, lent):
    from jiandu.core.models import Notification

    for _run in range(2):
        actions.escalate_overdue_passports(today=dt.date(2026, 7, 25))
    notes = Notification.objects.filter(cause=f"matters.passport.escalated:{lent.pk}")
    users = list(notes.values_list("user_id", flat=True))
    assert district.org_head.pk in users and len(users) == len(set(users))  # once each
    assert district.org_officer.pk not in users  # approving travel is the head's
    assert all(n.sensitive and n.kind == "escalation" and n.url == "/matters/passports/" for n in notes)
