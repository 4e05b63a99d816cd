"""Plain builders for tests and benchmarks: make_unit(), make_cadre(), make_user(role=…, unit=…).

Everything is created through the actions, by builder accounts that hold the needed roles, so
builders leave the same journal trail real use would.
"""

import datetime as dt
import itertools

from jiandu.accounts import actions as account_actions
from jiandu.accounts.models import Role, RoleAssignment, User
from jiandu.registry import actions as registry_actions
from jiandu.registry.models import Cadre, Position, Tenure, Unit
from jiandu.registry.validators import make_id_number

PASSWORD = "Jiandu-Test-2026!"
_counter = itertools.count(1)


def _bootstrap(username: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        existing = RoleAssignment.objects.filter(role=role, revoked_at__isnull=True).select_related("user").first()
        if existing:
            return existing.user
        user = account_actions.bootstrap_administrator(username=username, full_name=username, password=PASSWORD, role=role)
    return user


def system_admin() -> User:
    return _bootstrap("builder_sysadmin", Role.SYSTEM_ADMIN)


def security_admin() -> User:
    return _bootstrap("builder_secadmin", Role.SECURITY_ADMIN)


def audit_admin() -> User:
    return _bootstrap("builder_auditadmin", Role.AUDIT_ADMIN)


def registrar() -> User:
    """An organisation-department head for the whole district, who builds registry rows."""
    user = User.objects.filter(username="builder_registrar").first()
    if user is None:
        user = make_user(role=Role.ORG_HEAD, unit=None, username="builder_registrar")
    return user


def make_user(
    *,
    role: str | None = None,
    unit: Unit | None = None,
    username: str | None = None,
    cadre: Cadre | None = None,
    include_descendants: bool = True,
    full_name: str | None = None,
) -> User:
    """A user holding `role` on `unit` (None: the whole district); password is testing.PASSWORD."""
    n = next(_counter)
    username = username or f"user{n}"
    if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN) and not RoleAssignment.objects.filter(role=role, revoked_at__isnull=True).exists():
        return _bootstrap(username, role)
    user = account_actions.create_user(
        actor=system_admin(),
        username=username,
        full_name=full_name or username,
        password=PASSWORD,
        cadre_id=cadre.pk if cadre else None,
        must_change_password=False,
    )
    if role:
        account_actions.assign_role(actor=security_admin(), user=user, role=role, unit=unit, include_descendants=include_descendants)
    return user


def grant_role(user: User, role: str, unit: Unit | None = None, *, include_descendants: bool = True) -> User:
    """Give an existing account one more role (through the security administrator's action),
    e.g. make an officer the clue officer of a department: grant_role(u, Role.CLUE_OFFICER, unit)."""
    from jiandu.accounts import access

    account_actions.assign_role(actor=security_admin(), user=user, role=role, unit=unit, include_descendants=include_descendants)
    access.forget(user)  # this object may have cached the assignments it had before
    return user


def make_unit(*, name: str | None = None, parent: Unit | None = None, kind: str = Unit.Kind.GOVERNMENT_DEPARTMENT, short_name: str = "") -> Unit:
    n = next(_counter)
    return registry_actions.create_unit(actor=registrar(), name=name or f"单位{n}", kind=kind, parent=parent, short_name=short_name)


def make_cadre(*, unit: Unit | None = None, name: str | None = None, born: dt.date = dt.date(1980, 5, 17), gender: str = "male", **values) -> Cadre:
    n = next(_counter)
    unit = unit or make_unit()
    if "id_number" not in values:
        parity = 1 if gender == "male" else 0
        serial = n
        while True:
            values["id_number"] = make_id_number("640202", born, (serial * 2 + parity) % 1000)
            if not Cadre.objects.filter(id_number=values["id_number"]).exists():
                break
            serial += 1
    return registry_actions.create_cadre(actor=registrar(), unit=unit, name=name or f"测试{n}", gender=gender, birth_on=born, **values)


def make_position(*, unit: Unit | None = None, title: str = "局长", is_principal: bool = False, has_financial_authority: bool = False, **values) -> Position:
    unit = unit or make_unit()
    return registry_actions.create_position(
        actor=registrar(), unit=unit, title=title, is_principal=is_principal, has_financial_authority=has_financial_authority, **values
    )


def make_tenure(*, cadre: Cadre | None = None, position: Position | None = None, started_on: dt.date = dt.date(2022, 3, 1)) -> Tenure:
    position = position or make_position()
    cadre = cadre or make_cadre(unit=position.unit)
    return registry_actions.appoint(actor=registrar(), cadre=cadre, position=position, started_on=started_on)


def make_api_token(user: User, *, name: str | None = None) -> str:
    """A personal API token of `user`; returns the secret to send as `Authorization: Bearer …`."""
    _token, secret = account_actions.create_api_token(actor=user, name=name or f"test token {next(_counter)}")
    return secret


def api_client(user: User | None = None, *, secret: str | None = None, language: str | None = None):
    """A test client that authenticates with an API token of `user` (or the given secret)."""
    from django.test import Client

    headers = {}
    if user is not None or secret is not None:
        headers["Authorization"] = f"Bearer {secret or make_api_token(user)}"
    if language:
        headers["Accept-Language"] = language
    return Client(headers=headers)


# --- two-factor login (accounts) -------------------------------------------------------------------


def totp_code(seed: str, *, steps_ahead: int = 0) -> str:
    """The authenticator code for `seed` now (or a few 30-second steps ahead: a code already used
    is refused, so a login right after enrolment needs the next step's code)."""
    import time

    import pyotp

    return pyotp.TOTP(seed).at(time.time() + 30 * steps_ahead)


def enrol_totp(user: User) -> str:
    """Set up two-factor login for `user` through the actions; returns the seed."""
    seed = account_actions.start_totp_enrolment(actor=user)
    account_actions.confirm_totp_enrolment(actor=user, code=totp_code(seed))
    user.refresh_from_db()
    return seed


def admin_persona(role: str) -> User:
    """The installation's holder of an administrator role, with two-factor login set up (required
    for administrators), ready for client.force_login."""
    user = {Role.SYSTEM_ADMIN: system_admin, Role.SECURITY_ADMIN: security_admin, Role.AUDIT_ADMIN: audit_admin}[role]()
    if not user.totp_enabled:
        enrol_totp(user)
    return user


def log_in(client, user):
    """Log `user` in on a Django test client (the session epoch is part of the session's auth hash)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def make_relative(*, cadre: Cadre | None = None, relation: str = "spouse", name: str | None = None, **values):
    cadre = cadre or make_cadre()
    return registry_actions.add_relative(actor=registrar(), cadre=cadre, relation=relation, name=name or f"亲属{next(_counter)}", **values)


def make_xlsx(path, rows, *, header=None, sheet="Sheet1"):
    """Write a small real workbook for import tests: `header` (labels) then `rows` (lists)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    worksheet = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    lines = ([header] if header else []) + list(rows)
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            if value is None:
                continue
            if isinstance(value, dt.date):
                worksheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, str):
                worksheet.write_string(r, c, value)
            else:
                worksheet.write(r, c, value)
    workbook.close()
    return path


# --- ballots ---------------------------------------------------------------------------------


def ballot_spec(
    *,
    title: str = "2026年度民主测评",
    subjects=("张伟明", "李红"),
    groups=(("干部职工", "1", 20),),
    questions="overall",
    scale: str | None = None,
    kind: str = "cadre",
) -> dict:
    """A one-section ballot spec: `subjects` rated on `questions` (a preset name or a list) by
    `groups` given as (name, weight, headcount)."""
    section = {
        "title": "班子成员",
        "questions": questions,
        "subjects": [{"key": f"s{i + 1}", "kind": kind, "label": label} for i, label in enumerate(subjects)],
    }
    if scale:
        section["scale"] = scale
    return {
        "title": title,
        "sections": [section],
        "groups": [{"code": f"g{i + 1}", "name": name, "weight": weight, "headcount": headcount} for i, (name, weight, headcount) in enumerate(groups)],
    }


def make_ballot(*, unit: Unit | None = None, actor: User | None = None, spec: dict | None = None, open: bool = False):
    """A ballot for `unit` created (and optionally opened) through the actions by an
    organisation-department officer of the unit."""
    from jiandu.ballots import actions as ballot_actions

    unit = unit or make_unit()
    actor = actor or make_user(role=Role.ORG_OFFICER, unit=unit)
    ballot = ballot_actions.create_ballot(actor=actor, unit=unit, spec=spec or ballot_spec())
    if open:
        ballot = ballot_actions.open_ballot(actor=actor, ballot=ballot)
    return ballot


def answer_all(ballot, code: str, choose=None) -> dict:
    """Answers for every question on the ballot of `code`: choose(subject, question, options)
    returns the option (default: the first option)."""
    from jiandu.ballots import actions as ballot_actions
    from jiandu.ballots import structure

    group = ballot_actions.check_code(code).group
    shape = structure.load(ballot)
    by_subject = shape.subject_by_id
    answers = {}
    for item in shape.layouts[group.pk].items:
        options = shape.options[item.question_id]
        question = shape.question_by_id[item.question_id]
        option = choose(by_subject[item.subject_id], question, options) if choose else options[0]
        answers[(item.subject_id, item.question_id)] = option.pk
    return answers


def raw_xlsx(cells: dict[str, str] | None = None, *, dimension: str | None = None, sheet_data=None, members: dict | None = None) -> bytes:
    """An xlsx package written by hand with zipfile, for hostile uploads that no library would
    write: `cells` maps references ("A1", "XFD1048576") to inline strings; `sheet_data`, when
    given, is an iterable of bytes written as the sheet's <sheetData> content instead (streamed,
    so a million rows stay cheap); `dimension` is the declared <dimension ref>; `members` adds
    or replaces package parts (name → bytes)."""
    import io
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            b"</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{relations}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            b"</Relationships>"
        ),
    }
    parts.update(members or {})
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}" xmlns:r="{relations}">'.encode()
    if dimension:
        head += f'<dimension ref="{dimension}"/>'.encode()
    head += b"<sheetData>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, content in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                package.writestr(name, content)
        if "xl/worksheets/sheet1.xml" in parts:
            package.writestr("xl/worksheets/sheet1.xml", parts["xl/worksheets/sheet1.xml"])
        else:
            with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(head)
                if sheet_data is not None:
                    for piece in sheet_data:
                        sheet.write(piece)
                else:
                    by_row: dict[int, list[str]] = {}
                    for ref, value in (cells or {}).items():
                        row = int("".join(ch for ch in ref if ch.isdigit()))
                        by_row.setdefault(row, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
                    for row in sorted(by_row):
                        sheet.write(f'<row r="{row}">{"".join(by_row[row])}</row>'.encode())
                sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()
