"""Daily supervision's share of the cadre's dossier (core.timeline): dispositions with their
influence periods, talks, written inquiries and replies, duty-report evaluations and clues.

Scope is this app's: officers read what `oversight.view` covers (queries.*_visible_to); clues only
the clue officers and the head (`clues_with_full_access`), each clue shown journaled as a read
(`record_clue_view`, via "dossier"). The cadre in self service (rules applied): dispositions in
effect about them (a decision is served on the person), talks held with them (kind and date, not
the talker's notes), inquiries once delivered with their own reply, their duty reports with the
audience's evaluation (fed back to the reporter); never clues, nor drafts or cancelled talks. In self service only inquiries are linked: the talk
and duty-report pages lead on to lists that only officers may open."""

import datetime as dt
from types import SimpleNamespace

from django.db.models.functions import Coalesce, Substr, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import timeline
from jiandu.core.alerts import SERIOUS, WARNING, Match, register_rule
from jiandu.core.calendar import add_months, add_working_days
from jiandu.core.practice import declare, get_setting
from jiandu.core.timeline import SECRET, SENSITIVE, Source, StatusFact, TimelineEntry, label_of, register_sources, register_status

from . import queries
from .models import Clue, Disposition, DutyReport, Inquiry, RectificationItem, Talk


def _self_only(viewer, cadre) -> bool:
    return access.is_self(viewer, cadre) and not access.can(viewer, "oversight.view", cadre.unit)


def _period(row) -> str:
    if row["permanent"]:
        return _("influence period without end")
    if row["ends"]:
        return _("influence period until %(day)s") % {"day": row["ends"]}
    return ""


def sources(viewer, cadre) -> list[Source]:
    own = _self_only(viewer, cadre)
    if own:
        dispositions = Disposition.objects.filter(cadre_id=cadre.pk, status=Disposition.Status.EFFECTIVE)
        talks = Talk.objects.filter(cadre_id=cadre.pk, status=Talk.Status.HELD)
        inquiries = queries.my_inquiries(viewer).filter(cadre_id=cadre.pk)
        reports = DutyReport.objects.filter(cadre_id=cadre.pk)
    else:
        dispositions = queries.dispositions_visible_to(viewer).filter(cadre_id=cadre.pk)
        talks = queries.talks_visible_to(viewer).filter(cadre_id=cadre.pk).exclude(status=Talk.Status.CANCELLED)
        inquiries = queries.inquiries_visible_to(viewer).filter(cadre_id=cadre.pk).exclude(status=Inquiry.Status.DRAFT)
        reports = queries.duty_reports_visible_to(viewer).filter(cadre_id=cadre.pk)

    def disposition(row) -> TimelineEntry:
        summary = [label_of(Disposition, "category", row["category"]), _period(row)]
        if row["status"] != Disposition.Status.EFFECTIVE:
            summary.append(label_of(Disposition, "status", row["status"]))
        return TimelineEntry(
            date=row.date,
            kind=_("Yellow card") if row["source"] else _("Disposition"),  # create_admonishment: a yellow card's 诫勉
            pillar="oversight",
            title=label_of(Disposition, "measure", row["measure"]),
            summary="；".join(s for s in summary if s),
            url="" if own else reverse("oversight:disposition_detail", args=[row.pk]),
            key=f"disposition:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def talk(row) -> TimelineEntry:
        held = row["status"] == Talk.Status.HELD
        summary = "" if held else label_of(Talk, "status", row["status"])
        if not own and held and row["notes"]:
            summary = row["notes"]
        return TimelineEntry(
            date=row.date,
            kind=_("Talk"),
            pillar="oversight",
            title=label_of(Talk, "kind", row["kind"]),
            summary=summary,
            url="" if own else reverse("oversight:talk_detail", args=[row.pk]),
            sensitivity=SENSITIVE,
            key=f"talk:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def inquiry(row) -> TimelineEntry:
        summary = [label_of(Inquiry, "status", row["status"])]
        if row["due"] and row["status"] == Inquiry.Status.DELIVERED:
            summary.append(_("reply due by %(day)s") % {"day": row["due"]})
        if row["replied"]:
            summary.append(_("replied on %(day)s") % {"day": row["replied"]})
        if row["assessment"] and not own:
            summary.append(label_of(Inquiry, "assessment", row["assessment"]))
        return TimelineEntry(
            date=row.date,
            kind=_("Written inquiry"),
            pillar="oversight",
            title=row["subject"],
            summary="；".join(summary),
            url=reverse("oversight:inquiry_detail", args=[row.pk]),
            sensitivity=SENSITIVE,
            key=f"inquiry:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def duty(row) -> TimelineEntry:
        summary = label_of(DutyReport, "status", row["status"])
        if row["count_good"] is not None:  # DutyReport.has_evaluation, evaluation_rows
            summary += "；" + "，".join(f"{label} {row[name] or 0}" for name, label in DutyReport.OPTIONS)
        return TimelineEntry(
            date=row.date,
            kind=_("Duty report"),
            pillar="oversight",
            title=_("Duty and integrity report %(year)s") % {"year": row["year"]},
            summary=summary,
            url="" if own else reverse("oversight:duty_report_detail", args=[row.pk]),
            key=f"duty:{row.pk}",
            recorded_at=row.recorded_at,
        )

    talk_payload = {"status": "status", "kind": "kind"}
    if not own:  # the talker's notes never leave the database for the cadre's own view
        talk_payload["notes"] = Substr("summary", 1, 200)
    result = [
        Source(
            "oversight.disposition",
            disposition,
            dispositions,
            date="decided_on",
            recorded="created_at",
            payload={
                "category": "category",
                "measure": "measure",
                "status": "status",
                "permanent": "is_permanent",
                "ends": "influence_ends_on",
                "source": "source_type",
            },
        ),
        Source(
            "oversight.talk",
            talk,
            talks,
            date=Coalesce("talked_on", "due_on", TruncDate("created_at", tzinfo=dt.UTC)),
            recorded="created_at",
            payload=talk_payload,
        ),
        Source(
            "oversight.inquiry",
            inquiry,
            inquiries,
            date=Coalesce("issued_on", TruncDate("created_at", tzinfo=dt.UTC)),
            recorded="created_at",
            payload={"status": "status", "due": "reply_due_on", "replied": "replied_on", "assessment": "assessment", "subject": "subject"},
        ),
        Source(
            "oversight.duty",
            duty,
            reports,
            date=Coalesce("submitted_on", "due_on"),
            recorded="created_at",
            payload={"status": "status", "year": "year", **{name: name for name, _label in DutyReport.OPTIONS}},
        ),
    ]
    if not own:
        result.append(_clues(viewer, cadre))
    return result


def _clue_read(*, actor, clue_id: int, unit_id, unit_path: str, cadre_id, via: str) -> dict:
    """The journal entry of a clue read, as clue_actions.record_clue_view writes it (the receiving
    department's unit, else the sender's), for the dossier to write with its view in one go."""
    return {
        "action": "oversight.clue.viewed",
        "actor": actor,
        "target": ("oversight.clue", str(clue_id)),
        "unit": SimpleNamespace(pk=unit_id, path=unit_path or ""),
        "cadre": cadre_id,
        "data": {"via": via},
    }


def _clues(viewer, cadre) -> Source:
    """Clues only for those who may read them (queries.clues_with_full_access); each one shown is
    journaled as read through the dossier (_clue_read, in the dossier's write)."""

    def clue(row) -> TimelineEntry:
        result = label_of(Clue, "result", row["result"]) if row["result"] else ""
        return TimelineEntry(
            date=row.date,
            kind=_("Clue"),
            pillar="oversight",
            title=label_of(Clue, "source", row["source"]),
            summary="；".join(s for s in [row["summary"] or "", label_of(Clue, "status", row["status"]), result] if s),
            url=reverse("oversight:clue_detail", args=[row.pk]),
            sensitivity=SECRET,
            key=f"clue:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def shown(rows) -> list[dict]:
        return [
            _clue_read(
                actor=viewer,
                clue_id=row.pk,
                unit_id=row["to_unit"] or row["from_unit"],
                unit_path=row["to_path"] if row["to_unit"] else row["from_path"],
                cadre_id=cadre.pk,
                via="dossier",
            )
            for row in rows
            if row.source == "oversight.clue"
        ]

    return Source(
        "oversight.clue",
        clue,
        queries.clues_with_full_access(viewer).filter(cadre_id=cadre.pk),
        date=TruncDate("created_at", tzinfo=dt.UTC),
        recorded="created_at",
        payload={
            "source": "source",
            "summary": Substr("summary", 1, 200),
            "status": "status",
            "result": "result",
            "to_unit": "to_unit_id",
            "to_path": "to_unit__path",
            "from_unit": "from_unit_id",
            "from_path": "from_unit__path",
        },
        shown=shown,
    )


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    return timeline.entries(viewer, cadre, sources(viewer, cadre))


def influence_status(viewer, cadre, today) -> list[StatusFact]:
    """The header's running influence periods: what they bar and until when."""
    if not (access.can(viewer, "oversight.view", cadre.unit) or access.is_self(viewer, cadre)):
        return []
    facts = []
    may_open = access.can(viewer, "oversight.view", cadre.unit)
    for running in queries.active_influence(cadre, on=today):
        d = running.disposition
        bar = d.get_bar_display() if d.bar else ""
        text = _("bars %(what)s") % {"what": bar} if bar else _("bars nothing further")
        if d.no_leading_post_until:
            text += "；" + _("no leading post until %(day)s") % {"day": d.no_leading_post_until.isoformat()}
        facts.append(
            StatusFact(
                label=_("Influence period: %(measure)s") % {"measure": running.measure_label},
                text=text,
                until=running.ends_on,
                attention=True,
                url=reverse("oversight:disposition_detail", args=[d.pk]) if may_open else "",
            )
        )
    return facts


register_sources("oversight", sources, label=gettext_lazy("Daily supervision"), order=50)
register_status("oversight", influence_status)


# --- early warning (core.alerts) -----------------------------------------------------------------


def inquiry_reply_overdue(today) -> list[Match]:
    """Delivered inquiries whose reply date has passed (on the due date itself: not yet overdue)."""
    rows = Inquiry.objects.filter(status=Inquiry.Status.DELIVERED, reply_due_on__lt=today).only("pk", "cadre_id", "unit_id", "reply_due_on", "subject")
    return [
        Match(
            f"inquiry:{i.pk}",
            i.cadre_id,
            i.unit_id,
            _("Written inquiry not answered: the reply was due by %(day)s (%(days)s days overdue).")
            % {"day": i.reply_due_on.isoformat(), "days": (today - i.reply_due_on).days},
        )
        for i in rows
    ]


register_rule(
    "oversight.inquiry_reply_overdue",
    gettext_lazy("A written inquiry delivered to the cadre is not answered by its reply date."),
    WARNING,
    inquiry_reply_overdue,
)


def yellow_card_talk_overdue(today) -> list[Match]:
    """Admonishments from a yellow card (亮黄牌 → 诫勉) whose required 诫勉 talk is still not held
    after its due date (on the due date itself: not yet overdue)."""
    rows = Talk.objects.filter(
        status=Talk.Status.REQUIRED,
        due_on__lt=today,
        disposition__source_type=queries.YELLOW_CARD_SOURCE,
        disposition__status=Disposition.Status.EFFECTIVE,
    ).only("pk", "cadre_id", "unit_id", "due_on")
    return [
        Match(
            f"talk:{t.pk}",
            t.cadre_id,
            t.unit_id,
            _("Yellow card: the admonishment talk was due by %(day)s and is not held (%(days)s days overdue).")
            % {"day": t.due_on.isoformat(), "days": (today - t.due_on).days},
        )
        for t in rows
    ]


register_rule(
    "oversight.yellow_card_talk_overdue",
    gettext_lazy("A yellow card's admonishment talk (诫勉谈话) is not held by its due date."),
    WARNING,
    yellow_card_talk_overdue,
    settings=("oversight.admonishment_talk_working_days",),
)

declare(
    "alerts.yellow_card_decision_working_days",
    10,
    gettext_lazy("Early warning: yellow cards to decide within (working days)"),
    gettext_lazy(
        "A yellow card neither taken up as an admonishment nor dismissed this many working days after the appraisal raised it raises an early warning."
    ),
    kind="int",
    source=gettext_lazy("Local practice of the district: 10 working days"),
)


def yellow_card_not_taken_up(today) -> list[Match]:
    """Yellow cards (亮黄牌) the organisation department has neither taken up (a 诫勉 issued) nor
    dismissed N working days after the appraisal raised them (setting
    alerts.yellow_card_decision_working_days; on the last day itself: not yet overdue)."""
    from jiandu.appraisals.models import AdmonishmentProposal

    days = max(int(get_setting("alerts.yellow_card_decision_working_days")), 1)
    rows = (
        AdmonishmentProposal.objects.exclude(status=AdmonishmentProposal.Status.DISMISSED)
        .filter(reference="")
        .select_related("cycle", "cadre")
        .only("pk", "cadre_id", "cadre__unit_id", "created_at", "cycle__year", "figures")
    )
    due_by_day: dict = {}
    matches = []
    for proposal in rows:
        raised = timezone.localdate(proposal.created_at)
        if raised not in due_by_day:
            due_by_day[raised] = add_working_days(raised, days).due
        due = due_by_day[raised]
        if today > due:
            matches.append(
                Match(
                    f"yellow_card:{proposal.pk}",
                    proposal.cadre_id,
                    proposal.cadre.unit_id,
                    _("Yellow card of the appraisal %(year)s (%(figures)s) raised on %(raised)s: neither taken up as an admonishment nor dismissed by %(day)s.")
                    % {"year": proposal.cycle.year, "figures": proposal.figures, "raised": raised.isoformat(), "day": due.isoformat()},
                )
            )
    return matches


register_rule(
    "oversight.yellow_card_not_taken_up",
    gettext_lazy("A yellow card is neither taken up as an admonishment nor dismissed within the set working days."),
    WARNING,
    yellow_card_not_taken_up,
    settings=("alerts.yellow_card_decision_working_days",),
)

declare(
    "alerts.clue_count",
    3,
    gettext_lazy("Early warning: clues about the same cadre within 12 months"),
    gettext_lazy("This many clues or more registered about the same cadre within the last 12 months raise an early warning."),
    kind="int",
    source=gettext_lazy("Local practice of the district: 3 clues"),
)


def repeated_clues(today) -> list[Match]:
    """Cadres with N or more clues (setting alerts.clue_count) registered within the last 12
    months (from the same day twelve months ago, inclusive, to today)."""
    from django.db.models import Count

    n = max(int(get_setting("alerts.clue_count")), 1)
    since = add_months(today, -12)
    rows = (
        Clue.objects.filter(created_at__date__gte=since, created_at__date__lte=today)
        .values("cadre_id", "cadre_unit_id")
        .annotate(n=Count("id"))
        .filter(n__gte=n)
    )
    return [
        Match(
            f"clues:{r['cadre_id']}",
            r["cadre_id"],
            r["cadre_unit_id"],
            _("%(n)s clues about this cadre registered since %(day)s.") % {"n": r["n"], "day": since.isoformat()},
        )
        for r in rows
    ]


register_rule(
    "oversight.repeated_clues",
    gettext_lazy("Several clues about the same cadre within 12 months (setting)."),
    SERIOUS,
    repeated_clues,
    settings=("alerts.clue_count",),
)


def tour_rectification_overdue(today) -> list[Match]:
    """Inspection-tour rectification items not closed after their deadline (on the deadline
    itself: not yet overdue)."""
    rows = RectificationItem.objects.exclude(status=RectificationItem.Status.CLOSED).filter(due_on__lt=today).select_related("tour", "unit")
    return [
        Match(
            f"tour_item:{i.pk}",
            None,
            i.unit_id,
            _("%(tour)s: rectification of %(unit)s was due by %(day)s and is not closed (%(days)s days overdue).")
            % {"tour": i.tour.name, "unit": i.unit.name, "day": i.due_on.isoformat(), "days": (today - i.due_on).days},
        )
        for i in rows
    ]


register_rule(
    "oversight.tour_rectification_overdue",
    gettext_lazy("An inspection tour's rectification item is not closed by its deadline."),
    WARNING,
    tour_rectification_overdue,
)
