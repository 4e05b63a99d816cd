"""What the audit pages share: the view check and running an action from a form."""

from django.contrib import messages

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from .. import forms


def _require_view(user):
    if not access.can(user, "audits.view"):
        raise access.NotVisible()


def _submit(request, form_class, work, done):
    """Validate the posted form, run the action; report the first problem or `done`."""
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return False
    try:
        work(form.cleaned_data)
    except ActionError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True
