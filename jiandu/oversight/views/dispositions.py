"""Disposition and talk pages: thin adapters over queries and actions."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.queries import history_for

from .. import deadlines, influence, queries, tables, uploads
from ..actions import dispositions as disposition_actions
from ..actions import talks as talk_actions
from ..forms import (
    AdmonishmentForm,
    CorrectDispositionForm,
    DispositionForm,
    DocumentForm,
    ExplanationForm,
    FollowUpForm,
    HoldTalkForm,
    ReasonForm,
    SignOffForm,
    TalkForm,
)
from ..models import Category, Disposition, Talk
from .common import action_page, filter_rows, form_data, list_page, require_answer


def _crumbs(label, url, title):
    return [(_("Daily supervision"), reverse("oversight:index")), (label, url), (title, None)]


@login_required
def disposition_list(request):
    access.require(request.user, "oversight.view")
    today = dt.date.today()
    running = Q(status=Disposition.Status.EFFECTIVE, decided_on__lte=today) & (Q(is_permanent=True) | Q(influence_ends_on__gte=today))
    form, qs = filter_rows(
        request,
        queries.dispositions_visible_to(request.user),
        statuses=Disposition.Status.choices,
        kinds=Category.choices,
        kind_field="category",
        date_field="decided_on",
        overdue_q=running,
    )
    if "overdue" in form.fields:
        form.fields["overdue"].label = _("Influence period running today")
    actions = []
    if access.can(request.user, "oversight.manage"):
        actions.append((_("Record a disposition"), reverse("oversight:disposition_create")))
    if access.can(request.user, "oversight.confirm"):
        actions.append((_("Issue a yellow card"), reverse("oversight:admonishment_create")))
    return list_page(
        request,
        title=_("Dispositions"),
        qs=qs.order_by("-decided_on", "-id"),
        columns=tables.DISPOSITIONS,
        form=form,
        export_name="dispositions",
        actions=actions,
    )


@login_required
def disposition_create(request):
    access.require(request.user, "oversight.manage")
    form = DispositionForm(*form_data(request), user=request.user)
    created = {}

    def call(data):
        created["d"] = disposition_actions.record_disposition(actor=request.user, **{k: v for k, v in data.items()})

    response = action_page(
        request, form=form, obj=None, title=_("Record a disposition"), call=call, success=_("Disposition recorded."), back=reverse("oversight:disposition_list")
    )
    if created:
        response["Location"] = reverse("oversight:disposition_detail", args=[created["d"].pk])
    return response


@login_required
def admonishment_create(request):
    access.require(request.user, "oversight.confirm")
    form = AdmonishmentForm(*form_data(request), user=request.user)
    created = {}

    def call(data):
        created["d"] = disposition_actions.create_admonishment(
            actor=request.user,
            cadre=data["cadre"],
            grounds=data["grounds"],
            source_type=data["source_type"],
            source_id=data["source_id"],
            figures={},
            decided_on=data["decided_on"],
        )

    response = action_page(
        request,
        form=form,
        obj=None,
        title=_("Issue a yellow card"),
        call=call,
        success=_("Yellow card issued; the admonishment talk is required."),
        back=reverse("oversight:disposition_list"),
        confirm=_("Issue a yellow card (诫勉)? It starts an influence period."),
    )
    if created:
        response["Location"] = reverse("oversight:disposition_detail", args=[created["d"].pk])
    return response


@login_required
def disposition_detail(request, pk):
    disposition = queries.get_disposition_for(request.user, pk)
    yellow_card = disposition.source_type == queries.YELLOW_CARD_SOURCE
    return render(
        request,
        "oversight/disposition_detail.html",
        {
            "d": disposition,
            "yellow_card": yellow_card,
            "yellow_card_visible": yellow_card and queries.yellow_cards_visible_to(request.user).filter(pk=queries.int_or_none(disposition.source_id)).exists(),
            "follow_up": queries.yellow_card_follow_up(disposition.cadre, disposition.figures) if yellow_card else None,
            "explanation": influence.explain(disposition),
            "running_today": disposition.is_running(dt.date.today()),
            "files": uploads.attachments_of(disposition),
            "talks": disposition.talks.all(),
            "corrections": disposition.corrections.all(),
            "can_manage": access.can(request.user, "oversight.manage", disposition.unit),
            "can_confirm": access.can(request.user, "oversight.confirm", disposition.unit) and disposition.can_be_closed,
            "entries": history_for(request.user, disposition),
            "breadcrumbs": _crumbs(_("Dispositions"), reverse("oversight:disposition_list"), str(disposition)),
        },
    )


@login_required
def disposition_correct(request, pk):
    disposition = queries.get_disposition_for(request.user, pk)
    access.require(request.user, "oversight.confirm", disposition.unit)
    initial = {k: getattr(disposition, k) for k in ("measure", "probation_years", "decided_on", "deciding_body", "grounds")}
    form = CorrectDispositionForm(*form_data(request), initial=initial)
    return action_page(
        request,
        form=form,
        obj=disposition,
        title=_("Correct the disposition"),
        call=lambda data: disposition_actions.correct_disposition(actor=request.user, disposition=disposition, **data),
        success=_("Disposition corrected; the original is kept as corrected."),
        back=reverse("oversight:disposition_detail", args=[disposition.pk]),
    )


@login_required
def disposition_revoke(request, pk):
    disposition = queries.get_disposition_for(request.user, pk)
    access.require(request.user, "oversight.confirm", disposition.unit)
    return action_page(
        request,
        form=ReasonForm(*form_data(request)),
        obj=disposition,
        title=_("Revoke the disposition"),
        call=lambda data: disposition_actions.revoke_disposition(actor=request.user, disposition=disposition, reason=data["reason"]),
        success=_("Disposition revoked."),
        back=reverse("oversight:disposition_detail", args=[disposition.pk]),
        confirm=_("Revoke this disposition? It stays in the record as revoked."),
    )


@login_required
def disposition_lift(request, pk):
    """Lift a 停职检查 (it runs until lifted; influence.py)."""
    from ..forms import LiftForm

    disposition = queries.get_disposition_for(request.user, pk)
    access.require(request.user, "oversight.confirm", disposition.unit)
    return action_page(
        request,
        form=LiftForm(*form_data(request)),
        obj=disposition,
        title=_("Lift the suspension for examination"),
        call=lambda data: disposition_actions.lift_suspension(actor=request.user, disposition=disposition, lifted_on=data["lifted_on"], reason=data["reason"]),
        success=_("Suspension lifted."),
        back=reverse("oversight:disposition_detail", args=[disposition.pk]),
        confirm=_("Lift this suspension? It stays in the record, in effect up to the day before."),
    )


@login_required
def disposition_document(request, pk):
    disposition = queries.get_disposition_for(request.user, pk)
    access.require(request.user, "oversight.manage", disposition.unit)
    return action_page(
        request,
        form=DocumentForm(*form_data(request)),
        obj=disposition,
        title=_("Add the decision document"),
        call=lambda data: disposition_actions.attach_document(actor=request.user, disposition=disposition, document=data["document"]),
        success=_("Document added."),
        back=reverse("oversight:disposition_detail", args=[disposition.pk]),
    )


@login_required
def cadre_oversight(request, cadre_pk):
    """One cadre's oversight record: running influence periods and every measure, talk,
    inquiry, report and finding (read by the dossier later)."""
    from jiandu.registry.queries import get_cadre_for

    cadre = get_cadre_for(request.user, cadre_pk, "oversight.view")
    on = dt.date.today()
    if request.GET.get("on"):
        try:
            on = dt.date.fromisoformat(request.GET["on"])
        except ValueError:
            pass
    history = queries.cadre_history(cadre)
    history["influence"] = queries.active_influence(cadre, on=on)
    return render(
        request,
        "oversight/cadre.html",
        {
            "cadre": cadre,
            "on": on,
            "h": history,
            "entries": history_for(request.user, cadre=cadre),
            "breadcrumbs": _crumbs(_("Dispositions"), reverse("oversight:disposition_list"), cadre.name),
        },
    )


# --- talks -----------------------------------------------------------------------------------------


@login_required
def talk_list(request):
    access.require(request.user, "oversight.view")
    today = dt.date.today()
    overdue = Q(status=Talk.Status.REQUIRED, due_on__lt=today) | (
        Q(status=Talk.Status.HELD, follow_up_done_on__isnull=True, follow_up_due_on__lt=today) & ~Q(follow_up="")
    )
    form, qs = filter_rows(
        request, queries.talks_visible_to(request.user), statuses=Talk.Status.choices, kinds=Talk.Kind.choices, date_field="talked_on", overdue_q=overdue
    )
    actions = [(_("Record a talk"), reverse("oversight:talk_create"))] if access.can(request.user, "oversight.manage") else []
    return list_page(request, title=_("Talks"), qs=qs.order_by("-talked_on", "-id"), columns=tables.TALKS, form=form, export_name="talks", actions=actions)


@login_required
def talk_create(request):
    access.require(request.user, "oversight.manage")
    form = TalkForm(*form_data(request), user=request.user)
    return action_page(
        request,
        form=form,
        obj=None,
        title=_("Record a talk"),
        call=lambda data: talk_actions.record_talk(actor=request.user, **data),
        success=_("Talk recorded."),
        back=reverse("oversight:talk_list"),
    )


@login_required
def talk_detail(request, pk):
    talk = queries.get_talk_for(request.user, pk)
    manage = access.can(request.user, "oversight.manage", talk.unit)
    own = access.answers_self(request.user, talk.cadre_id)
    return render(
        request,
        "oversight/talk_detail.html",
        {
            "t": talk,
            "due_explanation": deadlines.explain(talk.due_rule),
            "overdue": talk.is_overdue(dt.date.today()),
            "files": uploads.attachments_of(talk),
            "can_manage": manage,
            "can_explain": (manage or own) and talk.can_submit_explanation,
            "entries": history_for(request.user, talk),
            "breadcrumbs": _crumbs(_("Talks"), reverse("oversight:talk_list"), str(talk)),
        },
    )


def _talk_action(request, pk, *, form_class, title, call, success, perm="oversight.manage", confirm=""):
    talk = queries.get_talk_for(request.user, pk)
    if perm == "answer":
        require_answer(request.user, talk.cadre_id, talk.unit)
    elif perm:
        access.require(request.user, perm, talk.unit)
    return action_page(
        request,
        form=form_class(*form_data(request)),
        obj=talk,
        title=title,
        call=lambda data: call(talk, data),
        success=success,
        back=reverse("oversight:talk_detail", args=[talk.pk]),
        confirm=confirm,
    )


@login_required
def talk_hold(request, pk):
    return _talk_action(
        request,
        pk,
        form_class=HoldTalkForm,
        title=_("Record the talk as held"),
        call=lambda t, data: talk_actions.hold_talk(actor=request.user, talk=t, **data),
        success=_("Talk recorded."),
    )


@login_required
def talk_follow_up(request, pk):
    return _talk_action(
        request,
        pk,
        form_class=FollowUpForm,
        title=_("Complete the follow-up"),
        call=lambda t, data: talk_actions.complete_follow_up(actor=request.user, talk=t, **data),
        success=_("Follow-up completed."),
    )


@login_required
def talk_explanation(request, pk):
    return _talk_action(
        request,
        pk,
        form_class=ExplanationForm,
        title=_("Submit the written explanation"),
        call=lambda t, data: talk_actions.submit_explanation(actor=request.user, talk=t, **data),
        success=_("Written explanation submitted."),
        perm="answer",
    )


@login_required
def talk_sign_off(request, pk):
    return _talk_action(
        request,
        pk,
        form_class=SignOffForm,
        title=_("Record the principal's sign-off"),
        call=lambda t, data: talk_actions.sign_off_explanation(actor=request.user, talk=t, **data),
        success=_("Sign-off recorded."),
    )


@login_required
def talk_cancel(request, pk):
    return _talk_action(
        request,
        pk,
        form_class=ReasonForm,
        title=_("Cancel the required talk"),
        call=lambda t, data: talk_actions.cancel_talk(actor=request.user, talk=t, reason=data["reason"]),
        success=_("Talk cancelled."),
        confirm=_("Cancel this required talk?"),
    )
