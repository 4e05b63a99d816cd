"""The meeting recommendation (会议推荐) page of a case: set up and open the recommendation ballot
(candidates per position, names per ballot, lines for other names, participant groups), follow
it on the ballot engine's pages (codes, paper entry, close, results), and record the stage from
its results. Views are adapters: one action per POST."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.ballots.models import Ballot
from jiandu.core.errors import ActionError

from . import actions
from .forms import StagePeopleForm
from .models import Stage
from .recommendation_models import RecommendationBallot
from .views import _case_cadres, _managed_case, case_url

GROUP_ROWS = 3


class RecommendationBallotForm(forms.Form):
    """Per position of the case: candidates, names per ballot, lines for other names; then up to
    three participant groups with their numbers."""

    def __init__(self, *args, positions, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = list(positions)
        for p in self.positions:
            self.fields[f"cadres_{p.pk}"] = forms.ModelMultipleChoiceField(
                label=_("%(post)s: candidates") % {"post": p}, queryset=cadres, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
            )
            self.fields[f"max_{p.pk}"] = forms.IntegerField(
                label=_("%(post)s: people each ballot may name") % {"post": p}, min_value=1, max_value=100, initial=1, required=False
            )
            self.fields[f"writeins_{p.pk}"] = forms.IntegerField(
                label=_("%(post)s: lines for other names") % {"post": p}, min_value=0, max_value=10, initial=1, required=False
            )
        for i in range(GROUP_ROWS):
            self.fields[f"group_name_{i}"] = forms.CharField(label=_("Participant group %(n)d") % {"n": i + 1}, max_length=100, required=i == 0)
            self.fields[f"group_count_{i}"] = forms.IntegerField(label=_("Number of participants"), min_value=1, max_value=100000, required=i == 0)

    def posts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "position": p,
                "cadres": list(data.get(f"cadres_{p.pk}") or []),
                "max_choices": data.get(f"max_{p.pk}") or 1,
                "write_ins": data.get(f"writeins_{p.pk}") or 0,
            }
            for p in self.positions
            if data.get(f"cadres_{p.pk}")
        ]

    def groups(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        out = []
        for i in range(GROUP_ROWS):
            name, count = (data.get(f"group_name_{i}") or "").strip(), data.get(f"group_count_{i}")
            if name or count:
                if not name or not count:
                    raise ActionError(_("Give each participant group its name and number."), field=f"group_name_{i}")
                out.append((name, count))
        return out


@login_required
def recommendation(request, pk):
    case = _managed_case(request, pk)
    link = RecommendationBallot.objects.filter(case=case).first()
    ballot = Ballot.objects.filter(pk=link.ballot_id).first() if link else None
    recorded = Stage.RECOMMENDATION in case.recorded_stages()
    setup = record = None
    if ballot is None and not recorded:
        setup = RecommendationBallotForm(
            request.POST if request.method == "POST" else None, positions=case.positions.select_related("unit"), cadres=_case_cadres(request)
        )
        if request.method == "POST" and setup.is_valid():
            try:
                actions.open_recommendation_ballot(actor=request.user, case=case, posts=setup.posts(), groups=setup.groups())
            except ActionError as error:
                setup.add_error(None, error.message)
            else:
                messages.success(request, _("The recommendation ballot is open. Issue voting codes or paper ballots on its page."))
                return redirect("selection:recommendation", pk=case.pk)
    elif ballot is not None and ballot.is_closed and not recorded:
        record = StagePeopleForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and record.is_valid():
            try:
                actions.record_recommendation_results(actor=request.user, case=case, **record.cleaned_data)
            except ActionError as error:
                record.add_error(None, error.message)
            else:
                messages.success(request, _("The stage is recorded."))
                return redirect(case_url(case))
    return render(
        request,
        "selection/recommendation.html",
        {
            "title": _("%(case)s: meeting recommendation") % {"case": case.title},
            "case": case,
            "ballot": ballot,
            "recorded": recorded,
            "setup": setup,
            "record": record,
            "may_manage_ballot": ballot is not None and access.can(request.user, "ballots.manage", ballot.unit_path),
            "back": case_url(case),
        },
        status=400 if request.method == "POST" else 200,
    )
