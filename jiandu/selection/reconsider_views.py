"""The page of a reconsideration (复议) of the committee's decision on one candidate."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access

from . import actions, queries
from .forms import _date, _text
from .models import Stance


def may_reconsider(user, case) -> bool:
    """Records a reconsideration: manages the case and the deciding body."""
    decision = getattr(case, "decision", None)
    return bool(decision is not None and access.can(user, "selection.manage", case.unit) and access.can(user, "decisions.manage", decision.body.unit))


class ReconsiderForm(forms.Form):
    held_on = _date(gettext_lazy("Date of the meeting"))
    agreeing = forms.IntegerField(label=gettext_lazy("Members agreeing to reconsider"), min_value=0, max_value=1000)
    reason = _text(gettext_lazy("Reason for reconsidering"))
    ABSENT = "absent"

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        choices = [*Stance.choices, (self.ABSENT, gettext_lazy("absent"))]
        for member in members:
            self.fields[f"m_{member.pk}"] = forms.ChoiceField(label=member.name, choices=choices, initial=Stance.AGREE)


@login_required
def reconsider(request, pk, candidate_pk):
    from .views import _form_page, case_url

    candidate = queries.get_candidate_for(request.user, candidate_pk)
    case = candidate.case
    if case.pk != int(pk) or not may_reconsider(request.user, case) or not candidate.outcome or candidate.tenure_id:
        raise access.NotVisible()
    decision = case.decision
    members = [m.cadre for m in decision.members.select_related("cadre").order_by("id")]
    members.sort(key=lambda c: c.pk == decision.principal_id)  # the principal states last
    form = ReconsiderForm(request.POST or None, members=members)

    def run(data):
        absent = [m for m in members if data[f"m_{m.pk}"] == form.ABSENT]
        statements = [(m, data[f"m_{m.pk}"]) for m in members if data[f"m_{m.pk}"] != form.ABSENT]
        actions.reconsider_decision(
            actor=request.user,
            candidate=candidate,
            held_on=data["held_on"],
            agreeing=data["agreeing"],
            reason=data["reason"],
            absent=absent,
            statements=statements,
        )

    return _form_page(
        request,
        title=_("%(name)s: reconsideration of the decision (复议)") % {"name": candidate.cadre.name},
        form=form,
        run=run,
        back=case_url(case),
        success=_("The reconsideration is recorded and the verdict recomputed."),
    )
