"""民主推荐 (2019 条例 art. 13): the meeting recommendation (会议推荐) held on the ballot engine.

`open_recommendation_ballot` builds a recommendation ballot from the case — one section per
position, "name up to N people for this post" from a candidate list and optional lines for other
names — creates and opens it through `ballots.actions` (codes, paper entry, closing and results
stay the ballot engine's pages). `record_recommendation_results` closes the stage from the closed
ballot: per person votes and share of the post's valid ballots, copied into the case record
(RecommendationVote) and summarised as the stage's result. The individual-talk route (谈话推荐)
keeps the generic stage record with typed figures (`record_stage`)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiandu.accounts import access
from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import queries as ballot_queries
from jiandu.ballots.models import Ballot
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre

from .. import rules
from ..models import SelectionCase, Stage, StageRecord
from ..recommendation_models import RecommendationBallot, RecommendationVote
from .base import _lock, _require_next, _require_open, _stage_record, _text

__all__ = [
    "open_recommendation_ballot",
    "recommendation_expiry_problem",
    "recommendation_spec",
    "record_recommendation_results",
    "recommended_votes",
]

MAX_CANDIDATES = 50
MAX_GROUPS = 10


def _whole(value, field, low, high, message) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ActionError(message, field=field)
    return value


def recommendation_spec(case: SelectionCase, posts: list[dict], groups: list[tuple[str, int]]) -> dict:
    """The ballot definition: one recommendation section per post, candidates keyed p<position>-c<cadre>."""
    sections = []
    for post in posts:
        position = post["position"]
        label = str(position)[:200]
        sections.append(
            {
                "title": label,
                "kind": "recommendation",
                "post": label,
                "max_choices": post["max_choices"],
                "write_ins": post["write_ins"],
                "subjects": [
                    {
                        "key": f"p{position.pk}-c{cadre.pk}",
                        "kind": "cadre",
                        "label": cadre.name,
                        "ref": {"app": "registry", "model": "cadre", "pk": cadre.pk},
                    }
                    for cadre in post["cadres"]
                ],
            }
        )
    return {
        "title": f"{case.title} · 会议推荐"[:200],
        "double_entry": "two_passes",
        "sections": sections,
        "groups": [{"code": f"g{i + 1}", "name": name, "headcount": headcount} for i, (name, headcount) in enumerate(groups)],
    }


@transaction.atomic
def open_recommendation_ballot(*, actor, case: SelectionCase, posts: list[dict], groups: list[tuple[str, int]]) -> Ballot:
    """Create and open the case's meeting-recommendation ballot. `posts`: [{"position", "cadres":
    [Cadre], "max_choices": N ≥ 1, "write_ins": lines 0–10}] for positions of the case; `groups`:
    [(voter group name, headcount)]. Needs selection.manage on the case's unit and ballots.manage
    (the ballot belongs to the case's unit). One ballot per case, before the stage is recorded."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    doing = _("Holding the meeting recommendation")
    _require_next(case, Stage.RECOMMENDATION)
    _require_open(case, Stage.RECOMMENDATION, doing)
    if RecommendationBallot.objects.filter(case=case).exists():
        raise ActionError(_("This case already has a recommendation ballot."), field="posts")
    positions = {p.pk for p in case.positions.all()}
    if not posts:
        raise ActionError(_("Choose at least one position to recommend for."), field="posts")
    cleaned = []
    for post in posts:
        position = post.get("position")
        if position is None or position.pk not in positions:
            raise ActionError(_("The post is not one of this case's positions."), field="posts")
        if any(c["position"].pk == position.pk for c in cleaned):
            raise ActionError(_("%(post)s is given twice.") % {"post": position}, field="posts")
        cadres = list(dict.fromkeys(post.get("cadres") or []))
        if not cadres:
            raise ActionError(_("%(post)s: choose at least one candidate.") % {"post": position}, field="posts")
        if len(cadres) > MAX_CANDIDATES:
            raise ActionError(_("%(post)s: at most %(n)d candidates.") % {"post": position, "n": MAX_CANDIDATES}, field="posts")
        for cadre in cadres:
            access.require(actor, "registry.view", cadre.unit)
            if cadre.status != Cadre.Status.SERVING:
                raise ActionError(_("Only a serving cadre can be listed."), field="posts")
        write_ins = _whole(post.get("write_ins", 0), "write_ins", 0, 10, _("The lines for other names must be a whole number from 0 to 10."))
        max_choices = _whole(
            post.get("max_choices"),
            "max_choices",
            1,
            len(cadres) + write_ins,
            _("%(post)s: the number of people each ballot may name must be a whole number from 1 to %(n)d.") % {"post": position, "n": len(cadres) + write_ins},
        )
        cleaned.append({"position": position, "cadres": cadres, "max_choices": max_choices, "write_ins": write_ins})
    if not groups or len(groups) > MAX_GROUPS:
        raise ActionError(_("Give one to %(n)d groups of participants with their numbers.") % {"n": MAX_GROUPS}, field="groups")
    clean_groups = []
    for name, headcount in groups:
        name = _text(name, "groups", max_length=100)
        headcount = _whole(headcount, "groups", 1, 100_000, _("The number of participants must be a whole number from 1 to 100000."))
        clean_groups.append((name, headcount))
    ballot = ballot_actions.create_ballot(actor=actor, unit=case.unit, spec=recommendation_spec(case, cleaned, clean_groups))
    ballot = ballot_actions.open_ballot(actor=actor, ballot=ballot)
    RecommendationBallot.objects.create(case=case, ballot_id=ballot.pk, created_by=actor)
    journal.record(
        "selection.recommendation.opened",
        actor=actor,
        target=case,
        unit=case.unit,
        data={"posts": len(cleaned), "candidates": sum(len(p["cadres"]) for p in cleaned), "participants": sum(n for _name, n in clean_groups)},
    )
    return ballot


def _position_of(subject_key: str) -> int | None:
    head = subject_key.split("-", 1)[0]
    return int(head[1:]) if head.startswith("p") and head[1:].isdigit() else None


@transaction.atomic
def record_recommendation_results(*, actor, case: SelectionCase, held_on: dt.date, handler, responsible, participants="") -> StageRecord:
    """Record 民主推荐 from the case's closed recommendation ballot: per post, each person's votes
    and share of the valid ballots (candidates, then names written in) and the invalid ballots."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    _require_next(case, Stage.RECOMMENDATION)
    link = RecommendationBallot.objects.filter(case=case).first()
    if link is None:
        raise ActionError(_("This case has no recommendation ballot."), field="stage")
    ballot = Ballot.objects.filter(pk=link.ballot_id).first()
    if ballot is None or not ballot.is_closed:
        raise ActionError(_("Close the recommendation ballot first: its results are counted on close."), field="stage")
    res = ballot_queries.results(ballot, user=actor)
    positions = {p.pk: p for p in case.positions.all()}
    rows, lines, order = [], [], 0
    for section in res.sections:
        rec = section.recommendation
        if rec is None:
            continue
        names = []
        for person in rec.people:
            position_id = _position_of(person.subject.key) if person.subject is not None else None
            share = section.display.share(person.share) if section.display else ""
            cadre_id = int(person.subject.ref_pk) if person.subject is not None and person.subject.ref_pk.isdigit() else None
            rows.append(
                RecommendationVote(
                    case=case,
                    position=positions.get(position_id) if position_id else None,
                    post=rec.post,
                    name=person.name,
                    cadre_id=cadre_id,
                    written_in=person.written_in,
                    votes=person.votes,
                    valid=rec.valid,
                    invalid=rec.invalid,
                    share=share,
                    order=order,
                )
            )
            order += 1
            names.append(
                ngettext("%(name)s %(votes)d vote (%(share)s)", "%(name)s %(votes)d votes (%(share)s)", person.votes)
                % {"name": person.name, "votes": person.votes, "share": share}
            )
        lines.append(
            _("%(post)s: %(valid)d valid ballots, %(invalid)d invalid; %(people)s")
            % {"post": rec.post, "valid": rec.valid, "invalid": rec.invalid, "people": "、".join(names) or "—"}
        )
    if not rows:
        raise ActionError(_("The recommendation ballot has no results to record."), field="stage")
    result = _("Meeting recommendation (会议推荐), %(ballots)d ballots. %(lines)s") % {"ballots": res.total_ballots, "lines": "；".join(lines)}
    record = _stage_record(
        case,
        Stage.RECOMMENDATION,
        actor=actor,
        held_on=held_on,
        handler=handler,
        responsible=responsible,
        participants=participants,
        result=result[:4000],
    )
    RecommendationVote.objects.bulk_create(rows)
    journal.record(
        "selection.stage.recorded",
        actor=actor,
        target=case,
        unit=case.unit,
        data={"stage": Stage.RECOMMENDATION, "held_on": record.held_on, "ballots": res.total_ballots},
    )
    return record


def recommended_votes(case: SelectionCase, cadre, position) -> int | None:
    """The cadre's votes for the post in the case's meeting recommendation, if it was held."""
    row = RecommendationVote.objects.filter(case=case, cadre=cadre, position=position).first()
    return row.votes if row is not None else None


def recommendation_expiry_problem(case: SelectionCase, on: dt.date) -> str | None:
    """The recommendation is valid for one year (2019 条例 art. 13): a reason when it has lapsed on `on`."""
    record = case.stages.filter(stage=Stage.RECOMMENDATION).first()
    if record is None:
        return None
    until = rules.recommendation_valid_until(record.held_on)
    if on > until:
        return _("The recommendation of %(held)s was valid until %(until)s; hold the recommendation again (%(basis)s).") % {
            "held": record.held_on.isoformat(),
            "until": until.isoformat(),
            "basis": rules.art13(),
        }
    return None
