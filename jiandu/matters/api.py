"""个人有关事项 JSON API (/api/v1/matters/): the same reads and writes as the pages, through the
same queries (scoped; not visible = 404) and actions (journaled). Reading a report or a check
is journaled here too. Operation names carry the `matters_` prefix."""

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.registry.models import Cadre

from . import actions, compare, queries
from .items import KIND_CODES
from .models import Check, CheckRequest, Draw, PassportHolder, TravelDocument

router = Router(tags=["matters"])

KindCode = Literal[KIND_CODES]  # type: ignore[valid-type]
Holder = Literal["self", "spouse", "child"]


class YearIn(InputSchema):
    year: int
    deadline: dt.date | None = None


class YearOut(Schema):
    year: int
    deadline: dt.date
    reporters: int


class ReporterOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    unit: str
    state: str


class StartIn(InputSchema):
    correction_reason: text(500) = ""


class MattersItemIn(InputSchema):
    kind: KindCode
    holder: Holder = "self"
    holder_name: text(50) = ""
    values: dict[str, text(200)] = {}


class MattersItemOut(Schema):
    position: int
    kind: str
    holder: str
    holder_name: str
    values: dict


class ReportOut(Schema):
    id: int
    reporter_id: int
    version: int
    status: str
    channel: str
    submitted_on: dt.date | None
    correction_reason: str
    items: list[MattersItemOut]


class SubmitIn(InputSchema):
    received_on: dt.date | None = None


def _year(user, year) -> dict:
    return {"year": year.year, "deadline": year.deadline, "reporters": year.reporters.count()}


def _report(report) -> dict:
    return {
        "id": report.pk,
        "reporter_id": report.reporter_id,
        "version": report.version,
        "status": report.status,
        "channel": report.channel,
        "submitted_on": report.submitted_on,
        "correction_reason": report.correction_reason,
        "items": [{"position": i.position, "kind": i.kind, "holder": i.holder, "holder_name": i.holder_name, "values": i.values} for i in report.items.all()],
    }


@router.get("/years", response=list[YearOut], summary="Reporting years")
def matters_years(request):
    return [_year(request.user, y) for y in queries.years_visible_to(request.user)]


@router.post("/years", response={201: YearOut}, summary="Open a reporting year and freeze its reporters")
def matters_open_year(request, payload: YearIn):
    queries.require_view(request.user)
    year = actions.open_year(actor=request.user, year=payload.year, deadline=payload.deadline)
    return 201, _year(request.user, year)


@router.get("/years/{year}/reporters", response=Page[ReporterOut], summary="A year's reporters and their state (journaled)")
def matters_reporters(request, year: int, page: Query[PageQuery]):
    found = queries.get_year_for(request.user, year)
    actions.record_view(actor=request.user, year=found)
    qs = queries.reporters_visible_to(request.user, found).order_by("unit__path", "cadre__sort_pinyin")
    return paginate(qs, page, lambda r: {"id": r.pk, "cadre_id": r.cadre_id, "cadre": r.cadre.name, "unit": r.unit.label, "state": queries.reporter_state(r)})


@router.get("/years/{year}/export", response=list[list], summary="The head's export of the year's reports (journaled)")
def matters_export_reports(request, year: int):
    found = queries.get_year_for(request.user, year)
    return [[str(c) for c in row] for row in actions.export_reports(actor=request.user, year=found)]


@router.post("/reporters/{reporter_id}/reports", response={201: ReportOut}, summary="Start a report or a corrected version")
def matters_start_report(request, reporter_id: Id, payload: StartIn):
    reporter = queries.get_reporter_for(request.user, reporter_id)
    return 201, _report(actions.start_report(actor=request.user, reporter=reporter, correction_reason=payload.correction_reason))


@router.get("/reports/{report_id}", response=ReportOut, summary="A report with its items (journaled)")
def matters_report(request, report_id: Id):
    report = queries.get_report_for(request.user, report_id)
    actions.record_view(actor=request.user, report=report)
    return _report(report)


@router.post("/reports/{report_id}/items", response={201: MattersItemOut}, summary="Add an item to a draft")
def matters_add_item(request, report_id: Id, payload: MattersItemIn):
    report = queries.get_report_for(request.user, report_id)
    item = actions.add_item(actor=request.user, report=report, kind=payload.kind, holder=payload.holder, holder_name=payload.holder_name, values=payload.values)
    return 201, {"position": item.position, "kind": item.kind, "holder": item.holder, "holder_name": item.holder_name, "values": item.values}


@router.delete("/reports/{report_id}/items/{position}", response={204: None}, summary="Remove an item from a draft")
def matters_remove_item(request, report_id: Id, position: int):
    report = queries.get_report_for(request.user, report_id)
    actions.remove_item(actor=request.user, report=report, position=position)
    return 204, None


@router.post("/reports/{report_id}/submit", response=ReportOut, summary="Submit a draft")
def matters_submit_report(request, report_id: Id, payload: SubmitIn):
    report = queries.get_report_for(request.user, report_id)
    return _report(actions.submit_report(actor=request.user, report=report, received_on=payload.received_on))


# --- draws and checks ----------------------------------------------------------------------------


class DrawIn(InputSchema):
    seed: text(64) = ""


class DrawOut(Schema):
    id: int
    year: int
    seed: str
    share: str
    population: list[int]
    selected: list[int]


class RerunOut(Schema):
    selected: list[int]
    same: bool


def _draw(draw) -> dict:
    return {"id": draw.pk, "year": draw.year.year, "seed": draw.seed, "share": draw.share, "population": draw.population, "selected": draw.selected}


def _get_draw(user, pk) -> Draw:
    queries.require_view(user)
    draw = Draw.objects.select_related("year").filter(pk=pk).first()
    if draw is None:
        raise access.NotVisible()
    return draw


@router.post("/years/{year}/draw", response={201: DrawOut}, summary="Draw the yearly random sample from a seed")
def matters_draw(request, year: int, payload: DrawIn):
    found = queries.get_year_for(request.user, year)
    return 201, _draw(actions.draw_sample(actor=request.user, year=found, seed=payload.seed))


@router.get("/draws/{draw_id}", response=DrawOut, summary="A random draw")
def matters_draw_detail(request, draw_id: Id):
    return _draw(_get_draw(request.user, draw_id))


@router.post("/draws/{draw_id}/rerun", response=RerunOut, summary="Re-run a draw from its seed (journaled)")
def matters_rerun_draw(request, draw_id: Id):
    again, same = actions.rerun_draw(actor=request.user, draw=_get_draw(request.user, draw_id))
    return {"selected": again, "same": same}


class CheckOut(Schema):
    id: int
    kind: str
    cadre_id: int
    status: str
    handling: str
    report_id: int | None
    disposition_id: int | None


class TargetedIn(InputSchema):
    cadre_id: Id
    reason: text(500, 1)


class RequestIn(InputSchema):
    department: text(100, 1)


class RequestOut(Schema):
    id: int
    department: str
    sent_on: dt.date
    replied_on: dt.date | None


class MattersReplyIn(InputSchema):
    replied_on: dt.date
    items: list[MattersItemIn] = []


class ClassifyIn(InputSchema):
    reply_item_id: Id
    classification: Literal["consistent", "omission", "concealment"]


class ConcludeIn(InputSchema):
    handling: Literal[tuple(Check.Handling.values)]  # type: ignore[valid-type]
    decided_on: dt.date
    deciding_body: text(100) = ""


class ComparisonOut(Schema):
    reply_item_id: int
    department: str
    kind: str
    status: str
    fields: list[dict]
    classification: str | None
    article: str | None


class CheckDetailOut(CheckOut):
    requests: list[RequestOut]
    comparisons: list[ComparisonOut]


def _check(check) -> dict:
    return {
        "id": check.pk,
        "kind": check.kind,
        "cadre_id": check.cadre_id,
        "status": check.status,
        "handling": check.handling,
        "report_id": check.report_id,
        "disposition_id": check.disposition_id,
    }


@router.get("/checks", response=Page[CheckOut], summary="Checks of reports")
def matters_checks(request, page: Query[PageQuery]):
    return paginate(queries.checks_visible_to(request.user).order_by("-opened_at", "-id"), page, _check)


@router.post("/checks", response={201: CheckOut}, summary="Open a targeted check (重点查核)")
def matters_targeted_check(request, payload: TargetedIn):
    cadre = Cadre.objects.select_related("unit").filter(pk=payload.cadre_id).first()
    if cadre is None:
        raise access.NotVisible()
    return 201, _check(actions.request_targeted_check(cadre=cadre, reason=payload.reason, actor=request.user))


@router.get("/checks/{check_id}", response=CheckDetailOut, summary="A check with the field-by-field comparison (journaled)")
def matters_check(request, check_id: Id):
    check = queries.get_check_for(request.user, check_id)
    actions.record_view(actor=request.user, check=check)
    data = _check(check)
    data["requests"] = [{"id": r.pk, "department": r.department, "sent_on": r.sent_on, "replied_on": r.replied_on} for r in check.requests.all()]
    data["comparisons"] = [
        {
            "reply_item_id": c.reply_item.pk,
            "department": c.reply_item.request.department,
            "kind": c.reply_item.kind,
            "status": c.status,
            "fields": [{"label": str(label), "reported": rep, "recorded": rec, "differs": diff} for label, rep, rec, diff in c.fields],
            "classification": c.finding.classification if c.finding else None,
            "article": c.finding.article if c.finding else None,
        }
        for c in compare.compare(check)
    ]
    return data


@router.post("/checks/{check_id}/requests", response={201: RequestOut}, summary="Send a records request to a department")
def matters_send_request(request, check_id: Id, payload: RequestIn):
    check = queries.get_check_for(request.user, check_id)
    r = actions.send_request(actor=request.user, check=check, department=payload.department)
    return 201, {"id": r.pk, "department": r.department, "sent_on": r.sent_on, "replied_on": r.replied_on}


@router.post("/requests/{request_id}/reply", response=RequestOut, summary="Record a department's reply as typed items")
def matters_record_reply(request, request_id: Id, payload: MattersReplyIn):
    records_request = CheckRequest.objects.filter(pk=request_id).first()
    if records_request is None:
        raise access.NotVisible()
    queries.get_check_for(request.user, records_request.check_case_id)
    rows = [item.dict() for item in payload.items]
    r = actions.record_reply(actor=request.user, request=records_request, replied_on=payload.replied_on, rows=rows)
    return {"id": r.pk, "department": r.department, "sent_on": r.sent_on, "replied_on": r.replied_on}


@router.post("/checks/{check_id}/findings", response=CheckOut, summary="Classify a compared item (处理办法 art. 3 / art. 4)")
def matters_classify(request, check_id: Id, payload: ClassifyIn):
    check = queries.get_check_for(request.user, check_id)
    actions.classify(actor=request.user, check=check, reply_item_id=payload.reply_item_id, classification=payload.classification)
    return _check(check)


@router.post("/checks/{check_id}/conclusion", response=CheckOut, summary="Conclude a check with its handling")
def matters_conclude(request, check_id: Id, payload: ConcludeIn):
    check = queries.get_check_for(request.user, check_id)
    return _check(
        actions.conclude_check(actor=request.user, check=check, handling=payload.handling, decided_on=payload.decided_on, deciding_body=payload.deciding_body)
    )


# --- passports -----------------------------------------------------------------------------------


class HolderIn(InputSchema):
    cadre_id: Id
    registered_on: dt.date
    filing_kind: Literal[tuple(PassportHolder.FilingKind.values)] = "leading_cadre"  # type: ignore[valid-type]


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    status: str


class HolderOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    registered_on: dt.date
    documents: list[DocumentOut]


class DocumentIn(InputSchema):
    kind: Literal[tuple(TravelDocument.Kind.values)]  # type: ignore[valid-type]
    number: text(30, 1)
    received_on: dt.date
    expires_on: dt.date | None = None


class TravelIn(InputSchema):
    destination: text(100, 1)
    purpose: text(200, 1)
    departs_on: dt.date
    returns_on: dt.date


class TravelOut(Schema):
    id: int
    holder_id: int
    destination: str
    departs_on: dt.date
    returns_on: dt.date
    status: str


class MattersDecisionIn(InputSchema):
    approve: bool


class LendIn(InputSchema):
    document_id: Id
    travel_id: Id
    lent_on: dt.date


class LoanOut(Schema):
    id: int
    document_id: int
    travel_id: int
    lent_on: dt.date
    due_on: dt.date
    returned_on: dt.date | None
    overdue: bool


class MattersReturnIn(InputSchema):
    returned_on: dt.date


def _holder(h) -> dict:
    return {
        "id": h.pk,
        "cadre_id": h.cadre_id,
        "cadre": h.cadre.name,
        "registered_on": h.registered_on,
        "documents": [{"id": d.pk, "kind": d.kind, "number": d.number, "status": d.status} for d in h.documents.all()],
    }


def _travel(t) -> dict:
    return {"id": t.pk, "holder_id": t.holder_id, "destination": t.destination, "departs_on": t.departs_on, "returns_on": t.returns_on, "status": t.status}


def _loan(loan) -> dict:
    return {
        "id": loan.pk,
        "document_id": loan.document_id,
        "travel_id": loan.travel_id,
        "lent_on": loan.lent_on,
        "due_on": loan.due_on,
        "returned_on": loan.returned_on,
        "overdue": loan.returned_on is None and loan.due_on < dt.date.today(),
    }


@router.get("/holders", response=Page[HolderOut], summary="Registered staff (登记备案人员) and their kept documents")
def matters_holders(request, page: Query[PageQuery]):
    return paginate(queries.holders_visible_to(request.user).prefetch_related("documents"), page, _holder)


@router.get("/holders/export", response=list[list], summary="The register for the exit-entry authorities: the head's export (journaled)")
def matters_export_register(request):
    return [[str(c) for c in row] for row in actions.export_register(actor=request.user)]


@router.post("/holders", response={201: HolderOut}, summary="Register a cadre")
def matters_register_holder(request, payload: HolderIn):
    queries.require_passports(request.user)
    cadre = Cadre.objects.select_related("unit").filter(pk=payload.cadre_id).first()
    if cadre is None:
        raise access.NotVisible()
    return 201, _holder(actions.register_holder(actor=request.user, cadre=cadre, registered_on=payload.registered_on, filing_kind=payload.filing_kind))


@router.post("/holders/{holder_id}/documents", response={201: DocumentOut}, summary="Take a document into custody")
def matters_receive_document(request, holder_id: Id, payload: DocumentIn):
    holder = queries.get_holder_for(request.user, holder_id)
    d = actions.receive_document(
        actor=request.user, holder=holder, kind=payload.kind, number=payload.number, received_on=payload.received_on, expires_on=payload.expires_on
    )
    return 201, {"id": d.pk, "kind": d.kind, "number": d.number, "status": d.status}


@router.post("/holders/{holder_id}/travels", response={201: TravelOut}, summary="Record a travel request")
def matters_request_travel(request, holder_id: Id, payload: TravelIn):
    holder = queries.get_holder_for(request.user, holder_id)
    t = actions.request_travel(
        actor=request.user,
        holder=holder,
        destination=payload.destination,
        purpose=payload.purpose,
        departs_on=payload.departs_on,
        returns_on=payload.returns_on,
    )
    return 201, _travel(t)


@router.post("/travels/{travel_id}/decision", response=TravelOut, summary="Approve or refuse a travel request")
def matters_decide_travel(request, travel_id: Id, payload: MattersDecisionIn):
    travel = queries.get_travel_for(request.user, travel_id)
    return _travel(actions.decide_travel(actor=request.user, travel=travel, approve=payload.approve))


@router.post("/holders/{holder_id}/loans", response={201: LoanOut}, summary="Lend a kept document for approved travel")
def matters_lend(request, holder_id: Id, payload: LendIn):
    holder = queries.get_holder_for(request.user, holder_id)
    document = holder.documents.filter(pk=payload.document_id).first()
    travel = holder.travels.filter(pk=payload.travel_id).first()
    if document is None or travel is None:
        raise access.NotVisible()
    return 201, _loan(actions.lend_document(actor=request.user, document=document, travel=travel, lent_on=payload.lent_on))


@router.get("/loans", response=Page[LoanOut], summary="Loans (overdue=true: not back by their due date)")
def matters_loans(request, page: Query[PageQuery], overdue: bool = False):
    qs = queries.overdue_loans(request.user) if overdue else queries.loans_visible_to(request.user)
    return paginate(qs.order_by("due_on", "id"), page, _loan)


@router.post("/loans/{loan_id}/return", response=LoanOut, summary="Take a lent document back")
def matters_return(request, loan_id: Id, payload: MattersReturnIn):
    loan = queries.loans_visible_to(request.user).filter(pk=loan_id).first()
    if loan is None:
        raise access.NotVisible()
    return _loan(actions.return_document(actor=request.user, loan=loan, returned_on=payload.returned_on))


# Operations written in their own module, on this router: changes reported between the yearly reports.
from . import api_events  # noqa: E402, F401
