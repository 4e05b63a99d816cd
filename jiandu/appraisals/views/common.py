"""Small helpers shared by the appraisal views."""

from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.core.action_forms import run_action as run  # noqa: F401 - the views import it from here


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
