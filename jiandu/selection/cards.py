"""Dashboard card: vetting requests waiting for the user's department."""

from django.urls import reverse
from django.utils.translation import gettext as _


def vetting_card(user):
    from . import queries

    if not queries.department_paths(user):
        return None
    number = queries.vetting_requests_for_department(user).filter(result="").count()
    return {"label": _("Vetting requests awaiting your department's reply"), "number": number, "url": reverse("selection:index"), "attention": number > 0}
