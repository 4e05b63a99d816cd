"""Signed checkpoints anchor the journal's head outside the database (issue #8, part 3): deleting
the newest entries together with the head row, or wiping the whole journal, passes the chain check
alone but fails against a checkpoint; forged checkpoints are rejected; an unknown hash algorithm is
a broken entry, not a traceback; deploy checks on keys and on the database role."""

import json

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.core import checks as core_checks
from jiandu.core import jobs, journal
from jiandu.core.models import JournalEntry, JournalHead
from jiandu.core.tests.test_journal import triggers_disabled
from jiandu.testing import admin_persona, make_user

pytestmark = pytest.mark.django_db


def _write(n=5):
    with transaction.atomic():
        for i in range(n):
            journal.record("test.thing.done", target=("test.thing", i), data={"i": i})


def _delete_tail_and_roll_back_head(first_deleted: int):
    """The attack: delete entries #first_deleted… and set the one-row head back to the entry before."""
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_journalentry WHERE seq >= %s", [first_deleted])
    last = JournalEntry.objects.filter(seq=first_deleted - 1).first()
    JournalHead.objects.filter(pk=1).update(seq=last.seq if last else 0, hash=last.hash if last else "")


def _log_lines():
    return journal.checkpoint_log_path().read_text().splitlines()


# --- the checkpoint log --------------------------------------------------------------------------


def test_checkpoint_written_only_for_new_entries_and_verified_against(settings):
    assert journal.write_checkpoint() is None  # an empty journal has nothing to anchor
    assert not journal.checkpoint_log_path().exists()
    _write(5)
    checkpoint = journal.write_checkpoint()
    assert (checkpoint.seq, checkpoint.hash) == (5, JournalEntry.objects.get(seq=5).hash)
    assert journal.checkpoint_log_path().parent == settings.JOURNAL_CHECKPOINT_DIR
    assert _log_lines() == [checkpoint.line()]
    assert journal.write_checkpoint() is None  # nothing new: no second line
    assert len(_log_lines()) == 1
    _write(2)
    assert journal.write_checkpoint().seq == 7
    assert [json.loads(line)["seq"] for line in _log_lines()] == [5, 7]
    result = journal.verify()
    assert result.ok and result.checked == 7 and result.checkpoints == 2


def test_checkpoint_goes_to_the_checkpoint_logger(caplog):
    _write(2)
    with caplog.at_level("INFO", logger="jiandu.journal.checkpoint"):
        checkpoint = journal.write_checkpoint()
    assert [r.getMessage() for r in caplog.records if r.name == "jiandu.journal.checkpoint"] == [checkpoint.line()]


def test_periodic_job_and_command_write_checkpoints(capsys):
    job = jobs.jobs()["core.journal_checkpoint"]
    assert job.every_seconds == 300
    _write(3)
    job.run()
    assert [json.loads(line)["seq"] for line in _log_lines()] == [3]
    journal.record("test.thing.done", target=("test.thing", 9))
    call_command("journal_checkpoint")
    out = capsys.readouterr().out
    assert json.loads(out.strip().splitlines()[-1])["seq"] == 4
    assert [json.loads(line)["seq"] for line in _log_lines()] == [3, 4]
    call_command("journal_checkpoint")
    assert "nothing written" in capsys.readouterr().out
    call_command("journal_checkpoint", "--force")
    assert [json.loads(line)["seq"] for line in _log_lines()] == [3, 4, 4]


def test_a_broken_chain_is_never_signed():
    _write(5)
    journal.write_checkpoint()
    _write(2)
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_journalentry SET data = %s WHERE seq = 6", ['{"i": 99}'])
    with pytest.raises(journal.CheckpointError):
        journal.write_checkpoint()
    with pytest.raises(CommandError, match="no checkpoint written"):
        call_command("journal_checkpoint")
    assert jobs.jobs()["core.journal_checkpoint"].run() is None  # the job logs and waits for the next run
    assert [json.loads(line)["seq"] for line in _log_lines()] == [5]


def test_checkpoint_refused_when_the_tail_below_it_is_gone():
    _write(5)
    journal.write_checkpoint()
    _delete_tail_and_roll_back_head(4)
    with pytest.raises(journal.CheckpointError, match="#4"):
        journal.write_checkpoint()
    assert len(_log_lines()) == 1


# --- attacks: truncation and wiping with the head rolled back -------------------------------------


def test_truncated_tail_with_head_rolled_back_fails_against_the_checkpoint():
    _write(8)
    journal.write_checkpoint()
    _delete_tail_and_roll_back_head(6)
    # The attack passes the chain check alone (the weakness this issue is about) ...
    alone = journal.verify(checkpoints=[])
    assert alone.ok and alone.checked == 5
    # ... but not against the checkpoint log, and the first missing entry is named.
    result = journal.verify()
    assert not result.ok
    assert (result.first_broken_seq, result.kind, result.checked) == (6, "shorter_than_checkpoint", 5)
    assert "#6" in result.reason and "#8" in result.reason
    with pytest.raises(CommandError, match=r"broken at #6 after 5 good entries"):
        call_command("verify_journal")
    call_command("verify_journal", "--no-checkpoints")  # the chain alone still verifies


def test_verify_page_names_the_missing_entries():
    auditor = Client(headers={"accept-language": "zh-hans"})
    auditor.force_login(admin_persona(Role.AUDIT_ADMIN))
    _write(5)
    newest = journal.write_checkpoint().seq
    _delete_tail_and_roll_back_head(newest - 1)
    page = auditor.post("/journal/verify/").content.decode()
    assert f"第 #{newest - 1} 至 #{newest} 条记录缺失：链条止于 #{newest - 2}" in page, page[page.find("<main") :]
    assert JournalEntry.objects.filter(action="core.journal.verified").last().outcome == "failed"


def test_truncated_tail_fails_against_a_checkpoint_file(tmp_path):
    _write(5)
    checkpoint = journal.write_checkpoint()
    downloaded = tmp_path / "kept-by-the-auditor.json"
    downloaded.write_text(checkpoint.line() + "\n")
    journal.checkpoint_log_path().unlink()  # the log itself is gone too
    _delete_tail_and_roll_back_head(5)
    call_command("verify_journal")  # without a checkpoint the loss is invisible
    with pytest.raises(CommandError, match=r"broken at #5 after 4 good entries"):
        call_command("verify_journal", "--checkpoint", str(downloaded))


def test_truncation_then_new_entries_fails_where_the_checkpoint_no_longer_matches():
    _write(5)
    journal.write_checkpoint()
    _delete_tail_and_roll_back_head(4)
    _write(3)  # the application goes on writing #4, #5, #6: a consistent chain, but another one
    assert journal.verify(checkpoints=[]).ok
    result = journal.verify()
    assert not result.ok and (result.first_broken_seq, result.kind) == (5, "checkpoint_mismatch")


def test_wiped_journal_and_head_fail_first_entry_missing(tmp_path):
    _write(4)
    journal.write_checkpoint()
    _delete_tail_and_roll_back_head(1)
    assert not JournalEntry.objects.exists() and JournalHead.objects.get(pk=1).seq == 0
    alone = journal.verify(checkpoints=[])
    assert alone.ok and alone.checked == 0  # "journal ok: 0 entries verified" without the checkpoint
    result = journal.verify()
    assert not result.ok and (result.first_broken_seq, result.kind, result.checked) == (1, "first_missing", 0)
    assert "#1" in result.reason and "#4" in result.reason
    with pytest.raises(CommandError, match=r"broken at #1 after 0 good entries"):
        call_command("verify_journal")


def test_missing_first_entry_is_named():
    _write(3)
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_journalentry WHERE seq = 1")
    result = journal.verify()
    assert not result.ok and (result.first_broken_seq, result.kind) == (1, "first_missing")


# --- forged checkpoints -------------------------------------------------------------------------


def _forged_lines(checkpoint):
    fields = json.loads(checkpoint.line())
    moved = json.dumps({**fields, "seq": 2}, sort_keys=True)  # a lower checkpoint, old signature
    rehashed = json.dumps({**fields, "hash": "0" * 64}, sort_keys=True)
    with override_settings(JOURNAL_KEY="a-key-that-is-not-the-installations"):
        other_key = journal.sign_entry(JournalEntry.objects.get(seq=checkpoint.seq)).line()
    unsigned = json.dumps({k: v for k, v in fields.items() if k != "signature"}, sort_keys=True)
    unknown_algorithm = json.dumps({**fields, "algorithm": "hmac-md5"}, sort_keys=True)
    return {"moved": moved, "rehashed": rehashed, "other key": other_key, "unsigned": unsigned, "unknown algorithm": unknown_algorithm}


def test_forged_checkpoint_is_rejected(tmp_path):
    _write(3)
    checkpoint = journal.write_checkpoint()
    assert journal.parse_checkpoints(checkpoint.line()) == [checkpoint]
    assert journal.parse_checkpoints("Dec  4 23:59:00 host jiandu: " + checkpoint.line()) == [checkpoint]  # a syslog line
    for name, line in _forged_lines(checkpoint).items():
        with translation.override("en"), pytest.raises(journal.CheckpointError, match="line 2"):
            journal.parse_checkpoints(checkpoint.line() + "\n" + line)
        forged = tmp_path / f"{name}.json"
        forged.write_text(line + "\n")
        with pytest.raises(CommandError, match="checkpoint rejected"):
            call_command("verify_journal", "--checkpoint", str(forged))


def test_forged_line_in_the_checkpoint_log_fails_verification():
    _write(3)
    checkpoint = journal.write_checkpoint()
    with journal.checkpoint_log_path().open("a") as log:
        log.write(_forged_lines(checkpoint)["moved"] + "\n")
    result = journal.verify()
    assert not result.ok and result.kind == "checkpoint_forged" and "2" in result.reason
    with pytest.raises(journal.CheckpointError):
        journal.write_checkpoint()
    with pytest.raises(CommandError, match="journal not verified"):
        call_command("verify_journal")


def test_file_without_checkpoint_is_refused(tmp_path):
    empty = tmp_path / "notes.txt"
    empty.write_text("no checkpoint here\n")
    with pytest.raises(CommandError, match="no checkpoint in"):
        call_command("verify_journal", "--checkpoint", str(empty))


# --- unknown hash algorithm --------------------------------------------------------------------


def test_unknown_hash_algorithm_is_a_broken_entry_not_a_traceback():
    _write(5)
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_journalentry SET algorithm = 'hmac-md5' WHERE seq = 3")
    result = journal.verify()
    assert not result.ok and (result.first_broken_seq, result.kind, result.checked) == (3, "algorithm", 2)
    with pytest.raises(CommandError, match=r"broken at #3 after 2 good entries"):
        call_command("verify_journal")
    auditor = Client()
    auditor.force_login(admin_persona(Role.AUDIT_ADMIN))
    response = auditor.post("/journal/verify/")
    assert response.status_code == 200 and response.context["result"].first_broken_seq == 3
    assert b"hmac-md5" not in response.content and b"Traceback" not in response.content


# --- the audit administrator's download -----------------------------------------------------------


def test_audit_administrator_downloads_a_signed_checkpoint():
    auditor_user = admin_persona(Role.AUDIT_ADMIN)
    auditor = Client()
    auditor.force_login(auditor_user)
    _write(3)
    before = JournalEntry.objects.count()
    response = auditor.post("/journal/checkpoint/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and response["Cache-Control"] == "no-store"
    [checkpoint] = journal.parse_checkpoints(response.content.decode())
    downloaded = JournalEntry.objects.get(action="core.journal.checkpoint_downloaded")
    assert (checkpoint.seq, checkpoint.hash) == (downloaded.seq, downloaded.hash)  # covers its own journal entry
    assert downloaded.actor_id == auditor_user.pk and downloaded.data == {"verified": before}
    assert _log_lines() == [checkpoint.line()]
    page = auditor.get("/journal/verify/")
    assert b"/journal/checkpoint/" in page.content
    assert auditor.get("/journal/checkpoint/").status_code == 405


def test_no_checkpoint_is_signed_for_a_broken_chain():
    auditor = Client()
    auditor.force_login(admin_persona(Role.AUDIT_ADMIN))
    _write(3)
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_journalentry SET data = %s WHERE seq = 2", ['{"i": 99}'])
    response = auditor.post("/journal/checkpoint/", follow=True)
    assert response.redirect_chain == [("/journal/verify/", 302)]
    assert "#2" in [str(m) for m in response.context["messages"]][0]
    assert not JournalEntry.objects.filter(action="core.journal.checkpoint_downloaded").exists()
    assert not journal.checkpoint_log_path().exists()


def test_checkpoint_download_refused_to_everyone_else():
    _write(1)
    for user in (admin_persona(Role.SYSTEM_ADMIN), admin_persona(Role.SECURITY_ADMIN), make_user(role=Role.ORG_HEAD), make_user()):
        client = Client()
        client.force_login(user)
        assert client.post("/journal/checkpoint/").status_code == 404
    assert Client().post("/journal/checkpoint/").status_code == 302  # to the login page
    assert not JournalEntry.objects.filter(action="core.journal.checkpoint_downloaded").exists()


# --- deploy checks ------------------------------------------------------------------------------

KEYS = {
    "JIANDU_JOURNAL_KEY": "journal-key-for-the-test-0123456789",
    "JIANDU_BALLOT_KEY": "ab" * 32,
    "JIANDU_FIELD_KEY": "field-key-for-the-test-0123456789",
    "JIANDU_JOURNAL_CHECKPOINT_DIR": "/srv/jiandu-checkpoints",
}


def _ids(messages):
    return sorted(m.id for m in messages)


def test_production_refuses_to_run_without_three_distinct_keys(settings, monkeypatch):
    for name in KEYS:
        monkeypatch.delenv(name, raising=False)
    settings.PRODUCTION = False
    assert core_checks.production_keys() == []  # development derives them
    settings.PRODUCTION = True
    errors = core_checks.production_keys()
    assert _ids(errors) == ["core.E001", "core.W004"] and errors[0].level == checks.ERROR
    assert all(name in errors[0].msg for name in ("JIANDU_JOURNAL_KEY", "JIANDU_BALLOT_KEY", "JIANDU_FIELD_KEY"))
    assert "core.E001" in _ids(checks.run_checks(include_deployment_checks=True))  # what `check --deploy` shows
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    assert core_checks.production_keys() == []
    monkeypatch.delenv("JIANDU_FIELD_KEY")
    assert [e.msg.split(" ")[0] for e in core_checks.production_keys()] == ["JIANDU_FIELD_KEY"]
    monkeypatch.setenv("JIANDU_FIELD_KEY", KEYS["JIANDU_JOURNAL_KEY"])
    assert [(e.id, "JIANDU_JOURNAL_KEY and JIANDU_FIELD_KEY" in e.msg) for e in core_checks.production_keys()] == [("core.E002", True)]
    monkeypatch.setenv("JIANDU_FIELD_KEY", settings.SECRET_KEY)
    assert [(e.id, "JIANDU_FIELD_KEY and JIANDU_SECRET_KEY" in e.msg) for e in core_checks.production_keys()] == [("core.E002", True)]


def test_deploy_check_on_the_database_role():
    warnings = core_checks.database_role()
    if connection.vendor == "sqlite":
        assert warnings == []  # SQLite has no roles; CI's deploy check on SQLite must stay clean
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0], "the test role is expected to be a superuser"
    assert _ids(warnings) == ["core.W001"] and "superuser" in warnings[0].msg
    assert "core.W001" in _ids(checks.run_checks(include_deployment_checks=True))


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="session_replication_role is PostgreSQL's")
def test_postgres_replica_role_bypasses_triggers_but_the_checkpoint_catches_it():
    _write(6)
    journal.write_checkpoint()
    last_kept = JournalEntry.objects.get(seq=3)
    with connection.cursor() as cursor:
        # No DDL: the triggers stay enabled, but a replica session does not fire them.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM core_journalentry WHERE seq >= 4")
        cursor.execute("UPDATE core_journalhead SET seq = %s, hash = %s WHERE id = 1", [last_kept.seq, last_kept.hash])
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'core_journalentry'::regclass AND NOT tgisinternal AND tgenabled = 'O'")
        assert cursor.fetchone()[0] == 2  # the append-only triggers were never touched
    assert journal.verify(checkpoints=[]).ok
    result = journal.verify()
    assert not result.ok and (result.first_broken_seq, result.kind) == (4, "shorter_than_checkpoint")


def test_unreadable_checkpoint_log_fails_verification_with_a_message():
    _write(2)
    journal.checkpoint_log_path().mkdir(parents=True)  # a directory where the log file should be: unreadable
    result = journal.verify()
    assert not result.ok and result.kind == "checkpoint_unreadable" and result.first_broken_seq is None
    with pytest.raises(CommandError, match="journal not verified"):
        call_command("verify_journal")
    auditor = Client()
    auditor.force_login(admin_persona(Role.AUDIT_ADMIN))
    response = auditor.post("/journal/verify/")
    assert response.status_code == 200 and response.context["result"].kind == "checkpoint_unreadable"
    assert journal.checkpoint_log_path().name.encode() not in response.content  # the file's name and place stay out of the page
    assert b"Errno" not in response.content


def test_checkpoint_logger_goes_to_syslog_when_configured(tmp_path):
    """JIANDU_JOURNAL_SYSLOG=host:port sends the checkpoint logger's lines to syslog (UDP)."""
    import os
    import socket
    import subprocess
    import sys

    from django.conf import settings

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(60)
    port = receiver.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIANDU_")}
    env.update(JIANDU_JOURNAL_SYSLOG=f"127.0.0.1:{port}", JIANDU_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    code = "import django, logging; django.setup(); logging.getLogger('jiandu.journal.checkpoint').info('{\"type\": \"probe\"}')"
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    try:
        datagram = receiver.recv(4096).decode()
    finally:
        receiver.close()
    assert datagram.startswith("<38>")  # facility auth (4) * 8 + info (6)
    assert datagram.rstrip("\x00").endswith('jiandu.journal.checkpoint {"type": "probe"}')


def test_audit_administrator_verifies_against_an_uploaded_checkpoint():
    from django.core.files.uploadedfile import SimpleUploadedFile

    auditor = Client(headers={"accept-language": "zh-hans"})
    auditor.force_login(admin_persona(Role.AUDIT_ADMIN))
    _write(3)
    kept = auditor.post("/journal/checkpoint/").content  # downloaded and kept outside
    seq = journal.parse_checkpoints(kept.decode())[0].seq
    journal.checkpoint_log_path().unlink()  # the log is gone as well
    _delete_tail_and_roll_back_head(seq)
    assert journal.verify().ok  # against the (empty) log the loss is invisible
    response = auditor.post("/journal/verify/", {"checkpoint": SimpleUploadedFile("kept.json", kept)})
    result = response.context["result"]
    assert not result.ok and (result.first_broken_seq, result.kind, result.checkpoints) == (seq, "first_missing" if seq == 1 else "shorter_than_checkpoint", 1)
    assert f"#{seq}".encode() in response.content
    verified = JournalEntry.objects.filter(action="core.journal.verified").last()
    assert verified.outcome == "failed" and verified.data["checkpoint"] == "uploaded"


def test_uploaded_forged_or_foreign_file_is_refused_with_a_message():
    from django.core.files.uploadedfile import SimpleUploadedFile

    auditor = Client(headers={"accept-language": "zh-hans"})
    auditor.force_login(admin_persona(Role.AUDIT_ADMIN))
    _write(3)
    checkpoint = journal.write_checkpoint()
    forged = _forged_lines(checkpoint)["moved"].encode()
    before = JournalEntry.objects.count()
    response = auditor.post("/journal/verify/", {"checkpoint": SimpleUploadedFile("forged.json", forged)})
    assert response.status_code == 200 and response.context["result"] is None
    assert "第 1 行的检查点不是用本系统的日志密钥签名的" in response.context["upload_error"]
    refused = JournalEntry.objects.get(seq=before + 1)
    assert (refused.action, refused.outcome, refused.data) == ("core.journal.verified", "failed", {"ok": False, "checkpoint": "rejected"})
    for content in (b"just some notes\n", b"\xff\xfe\x00binary", b""):
        response = auditor.post("/journal/verify/", {"checkpoint": SimpleUploadedFile("other.json", content)})
        assert response.status_code == 200 and response.context["result"] is None
        assert response.context["upload_error"] == "该文件不是检查点：请选择从本页面下载的检查点文件。"
    too_large = SimpleUploadedFile("big.json", b" " * (1024 * 1024 + 1))
    assert "1 MB" in auditor.post("/journal/verify/", {"checkpoint": too_large}).context["upload_error"]
    assert JournalEntry.objects.count() == before + 1  # only the forged checkpoint's refusal


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")
def test_postgres_role_check_tells_a_plain_role_from_an_owner_and_a_replica_setter():
    """Roles made inside the test's transaction (rolled back with it): a role with only the
    privileges it needs passes; owning the journal through a role it belongs to, or holding SET on
    session_replication_role, is reported."""
    import uuid

    suffix = uuid.uuid4().hex[:10]
    app, owner = f"jiandu_test_app_{suffix}", f"jiandu_test_owner_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {app} NOSUPERUSER NOREPLICATION")
        cursor.execute(f"CREATE ROLE {owner} NOSUPERUSER")
        cursor.execute(f"GRANT SELECT, INSERT ON core_journalentry TO {app}")
        cursor.execute(f"SET LOCAL ROLE {app}")
        assert core_checks.database_role_problems(cursor) == []
        cursor.execute("RESET ROLE")
        cursor.execute(f"ALTER TABLE core_journalentry OWNER TO {owner}")
        cursor.execute(f"GRANT {owner} TO {app}")
        cursor.execute(f"SET LOCAL ROLE {app}")
        [problem] = core_checks.database_role_problems(cursor)
        assert problem.startswith("owns the journal table core_journalentry") and owner in problem
        cursor.execute("RESET ROLE")
        cursor.execute(f"REVOKE {owner} FROM {app}")
        cursor.execute(f"GRANT SET ON PARAMETER session_replication_role TO {app}")
        cursor.execute(f"SET LOCAL ROLE {app}")
        assert core_checks.database_role_problems(cursor) == ["was granted SET on session_replication_role"]
        cursor.execute("SET LOCAL session_replication_role = replica")  # what the grant allows: the bypass the check warns of
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("RESET ROLE")
