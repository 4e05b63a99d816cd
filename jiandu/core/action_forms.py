"""Action forms: GET shows the form, POST calls one action; an `ActionError` is shown beside the
field it names (or on top of the form), nothing is stored and the input is kept; success
redirects with a translated message. Buttons without a form use `run_action`.

    def talk_hold(request, pk):
        talk = queries.get_talk_for(request.user, pk)
        form = HoldForm(request.POST or None)
        return action_forms.action_form(
            request, form=form, template="oversight/action_form.html",
            call=lambda data: actions.hold_talk(actor=request.user, talk=talk, **data),
            success=_("The talk was recorded."), back=talk_url, context={"title": _("Hold")})
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import ActionError, RowErrors


def add_action_error(form, exc: ActionError) -> None:
    """Show an action's refusal beside the field it names, or on top of the form."""
    field = exc.field if exc.field and exc.field in form.fields else None
    form.add_error(field, exc.message)


def action_form(request, *, form, call: Callable, success, back: str, template: str, context: dict | None = None):
    """GET: the form. POST: `call(form.cleaned_data)` when the form is valid; ActionError → the
    form again (status 400) with the message on its field; success → redirect to `back` with
    `success` as a message. `success` may be a callable taking the action's result."""
    if request.method == "POST":
        if form.is_valid():
            try:
                result = call(form.cleaned_data)
            except ActionError as exc:
                add_action_error(form, exc)
            else:
                messages.success(request, success(result) if callable(success) else success)
                return redirect(back)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, template, {"form": form, "back": back, **(context or {})}, status=400 if form.errors else 200)


def try_action(request, call: Callable, success) -> bool:
    """Call an action for a button (no form): its success or its translated refusal becomes a
    message. Returns whether it succeeded. An import's row errors are listed (the first 20)."""
    try:
        call()
    except RowErrors as exc:
        for error in exc.errors[:20]:
            messages.error(request, _("Row %(row)s, %(column)s: %(message)s") % error)
        return False
    except ActionError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def run_action(request, call: Callable, success, back: str):
    """`try_action`, then back to `back` either way."""
    try_action(request, call, success)
    return redirect(back)
