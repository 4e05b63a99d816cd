"""选任监督's figures on the role dashboards (core.dashboard): vetting requests awaiting a reply,
by deadline — a vetting department's own requests in its officers' queue, those of the cases the
user may read in an overview (this app's own queries; one aggregate query)."""

from django.utils.translation import gettext_lazy

from jiandu.core.dashboard import QUEUE, bucket_counts, register_deadline

from . import queries
from .models import VettingRequest


def _vetting(user, today, purpose):
    if purpose == QUEUE:
        if not queries.department_paths(user):
            return None
        qs = queries.vetting_requests_for_department(user)
    else:
        from jiandu.accounts import access

        if not access.can(user, "selection.view"):
            return None
        qs = VettingRequest.objects.filter(candidate__case__in=queries.cases_visible_to(user).values("pk"))
    return bucket_counts(qs.filter(result=""), "due_on", today)


register_deadline(
    "selection.vetting",
    _vetting,
    label=gettext_lazy("Vetting requests awaiting the reply"),
    area=gettext_lazy("Selection supervision"),
    order=40,
)
