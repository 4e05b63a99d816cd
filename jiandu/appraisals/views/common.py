"""Small helpers shared by the appraisal views."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.core.errors import ActionError, RowErrors


def page_size(request, default=20) -> int:
    try:
        size = int(request.GET.get("size", default))
    except ValueError:
        size = default
    return size if size in (20, 50, 100) else default


def run(request, call, success: str, back: str):
    """Call an action; on ActionError show its message and go back. Returns a redirect."""
    try:
        call()
    except RowErrors as exc:
        for error in exc.errors[:20]:
            messages.error(request, _("Row %(row)s, %(column)s: %(message)s") % error)
        return redirect(back)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, success)
    return redirect(back)


def cycle_tabs(cycle, current: str) -> list[dict]:
    """The sections of a cycle, shown as tabs on each of its pages."""
    items = [
        ("overview", _("Overview"), reverse("appraisals:cycle_detail", args=[cycle.pk])),
        ("targets", _("Target scores"), reverse("appraisals:targets", args=[cycle.pk])),
        ("evaluation", _("Democratic evaluation"), reverse("appraisals:evaluation", args=[cycle.pk])),
        ("grades", _("Grades"), reverse("appraisals:grades", args=[cycle.pk])),
        ("results", _("Results"), reverse("appraisals:results", args=[cycle.pk])),
    ]
    return [{"key": key, "label": label, "url": url, "current": key == current} for key, label, url in items]


def cycle_crumbs(cycle, *tail):
    return [(_("Target supervision"), reverse("appraisals:index")), (cycle.title, reverse("appraisals:cycle_detail", args=[cycle.pk])), *tail]
