"""The registry's cadre page links a tenure that an appointment created to the trace-back report
(倒查) of that appointment (registry.hooks.register_tenure_links), for viewers who may open it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import queries
from .models import Candidate


def trace_links(user, tenures) -> dict[int, list[tuple[str, str]]]:
    ids = [tenure.pk for tenure in tenures]
    if not ids:
        return {}
    made = Candidate.objects.filter(case__in=queries.cases_visible_to(user), tenure_id__in=ids).values_list("tenure_id", flat=True)
    return {tenure_id: [(reverse("selection:trace_tenure", args=[tenure_id]), _("Trace-back report"))] for tenure_id in set(made)}
