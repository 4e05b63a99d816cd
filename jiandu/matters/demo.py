"""Demo data of 个人有关事项 (the org head and the org officer hold the named matters role from
the registry's demo): the 2026 reporting year is open with its frozen list, every reporter but one has reported (one of
them late, one corrected), the missing one has been chased; the seeded 10 % draw is made; a
targeted check found an unreported flat (隐瞒不报); a passport is lent and overdue, another was
returned late."""

import datetime as dt

from . import actions, compare
from .models import Check, Reporter

YEAR = 2026
SEED = "示范区2026"
STREETS = ("东园路", "西湖路", "南山路", "北辰街", "滨河路", "文昌路")


def load(ctx):
    officer, head = ctx.users["org_officer"], ctx.users["org_head"]  # named matters officers (registry demo)
    year = actions.open_year(actor=officer, year=YEAR, deadline=dt.date(YEAR, 1, 31))
    reporters = list(Reporter.objects.filter(year=year).select_related("cadre").order_by("pk"))
    if len(reporters) < 3:
        ctx.log("matters: fewer than three reporters, no reports")
        return
    missing, late, corrected = reporters[-1], reporters[-2], reporters[0]
    flats = {}
    for n, reporter in enumerate(reporters[:-1]):
        report = actions.start_report(actor=officer, reporter=reporter)
        street = STREETS[n % len(STREETS)]
        flats[reporter.pk] = {
            "address": f"示范区{street}{10 + n}号{1 + n % 6}单元{100 * (1 + n % 9) + 2}室",
            "area": f"{90 + ctx.rng.randint(0, 60)}.00",
            "nature": "商品房",
        }
        actions.add_item(actor=officer, report=report, kind="marriage", values={"status": "已婚"})
        actions.add_item(actor=officer, report=report, kind="salary", values={"amount": str(150000 + 1000 * ctx.rng.randint(0, 60))})
        actions.add_item(actor=officer, report=report, kind="real_estate", values=flats[reporter.pk])
        received = dt.date(YEAR, 2, 3) if reporter is late else dt.date(YEAR, 1, 5 + n % 25)
        actions.submit_report(actor=officer, report=report, received_on=received)
    correction = actions.start_report(actor=officer, reporter=corrected, correction_reason="补报配偶从业情况")
    actions.add_item(
        actor=officer, report=correction, kind="employment", holder="spouse", holder_name="配偶", values={"employer": "示范区第一中学", "post": "教师"}
    )
    actions.submit_report(actor=officer, report=correction, received_on=dt.date(YEAR, 3, 2))
    actions.send_reminders(today=dt.date(YEAR, 1, 24))  # seven days before: the two not yet in
    actions.send_reminders(today=dt.date(YEAR, 2, 1))  # the day after: the missing one is chased
    draw = actions.draw_sample(actor=officer, year=year, seed=SEED)

    # The targeted check of a selection candidate (opened when selection's demo listed the
    # inspection subject still waiting; else one of the reporters): the real-estate register shows
    # a flat the report does not (隐瞒不报), and the selection case is blocked (凡提四必).
    check = Check.objects.filter(kind=Check.Kind.TARGETED, status=Check.Status.OPEN).order_by("id").first()
    if check is None:
        check = actions.request_targeted_check(cadre=reporters[1].cadre, reason="拟列为提拔考察对象（重点查核）", actor=officer)
    candidate = check.cadre
    request = actions.send_request(actor=officer, check=check, department="不动产登记机构")
    hidden = {"address": "示范区滨河路88号2单元1501室", "area": "142.00", "nature": "商品房"}
    reported = next((flats[r.pk] for r in reporters if r.cadre_id == candidate.pk and r.pk in flats), None)
    actions.record_reply(
        actor=officer,
        request=request,
        replied_on=ctx.today,
        rows=([{"kind": "real_estate", "values": reported}] if reported else []) + [{"kind": "real_estate", "values": hidden}],
    )
    for row in compare.compare(check):
        actions.classify(actor=officer, check=check, reply_item_id=row.reply_item.pk, classification="consistent" if row.status == "same" else "concealment")
    actions.conclude_check(actor=head, check=check, handling="disqualified", decided_on=ctx.today)

    # Passports: one lent and overdue, one returned late.
    today = ctx.today
    for n, reporter in enumerate(reporters[2:4]):
        holder = actions.register_holder(actor=officer, cadre=reporter.cadre, registered_on=dt.date(YEAR, 1, 10))
        document = actions.receive_document(actor=officer, holder=holder, kind="passport", number=f"E{60317250 + n}", received_on=dt.date(YEAR, 1, 10))
        back = today - dt.timedelta(days=40 if n == 0 else 90)
        travel = actions.request_travel(
            actor=officer, holder=holder, destination="新加坡" if n == 0 else "日本", purpose="探亲", departs_on=back - dt.timedelta(days=7), returns_on=back
        )
        actions.decide_travel(actor=head, travel=travel, approve=True)
        loan = actions.lend_document(actor=officer, document=document, travel=travel, lent_on=back - dt.timedelta(days=9))
        if n == 1:
            actions.return_document(actor=officer, loan=loan, returned_on=loan.due_on + dt.timedelta(days=5))
    ctx.log(
        f"matters: {YEAR} reporting year with {len(reporters)} reporters (1 missing: {missing.cadre.name}), "
        f"{len(draw.selected)} drawn for the random check, a targeted check of {candidate.name}, 2 passports lent"
    )
