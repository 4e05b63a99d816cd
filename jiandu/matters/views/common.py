"""What the personal-matters pages share: running an action with its message, form errors, cadre choices, state labels."""

from django.contrib import messages
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre

STATE_LABELS = {
    "submitted": gettext_lazy("submitted"),
    "late": gettext_lazy("submitted late"),
    "missing": gettext_lazy("missing"),
    "pending": gettext_lazy("not yet submitted"),
}


def _run(request, work, done, target):
    try:
        work()
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return target


def _invalid(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{errors[0]}" if label else errors[0])


def _cadre_choices(user, perm):
    cadres = Cadre.objects.filter(access.scope_q(user, perm, "unit__path"), status=Cadre.Status.SERVING).order_by("sort_pinyin")[:2000]
    return [("", "—")] + [(c.pk, f"{c.name}（{c.unit.label}）") for c in cadres.select_related("unit")]
