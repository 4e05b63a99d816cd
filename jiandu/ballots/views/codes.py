"""Ballot pages: voting codes and their batches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiandu.core.action_forms import try_action
from jiandu.core.errors import ActionError

from .. import actions, exports, forms, queries
from .common import _attachment, _back, _public_base

# --- codes ----------------------------------------------------------------------------------


@login_required
@require_POST
@never_cache
def codes(request, pk):
    """Generate codes and answer with the file at once: the only moment plain codes exist."""
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    form = forms.CodesForm(request.POST, ballot=ballot)
    if not form.is_valid():
        messages.error(request, _("Choose a voter group and a number of codes from 1 to 2000."))
        return _back(ballot, "#codes")
    group = queries.get_group(ballot, form.cleaned_data["group"])
    try:
        batch, plain = actions.generate_codes(actor=request.user, ballot=ballot, group=group, count=form.cleaned_data["count"])
    except ActionError as exc:
        messages.error(request, exc.message)
        return _back(ballot, "#codes")
    base = _public_base(request)
    name = f"ballot-{ballot.pk}-codes-{batch.number}"
    if form.cleaned_data["format"] == "xlsx":
        return _attachment(
            exports.code_list_xlsx(ballot, group, batch, plain, base), f"{name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    return _attachment(exports.code_sheet_pdf(ballot, group, batch, plain, base), f"{name}.pdf", "application/pdf")


@login_required
@require_POST
def void_batch(request, pk, batch_pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    batch = queries.get_batch_for(request.user, ballot, batch_pk)
    try_action(
        request, lambda: actions.void_code_batch(actor=request.user, batch=batch), _("The unused codes of batch %(n)d no longer work.") % {"n": batch.number}
    )
    return _back(ballot, "#codes")
