"""Yearly statistics of daily supervision (counts by kind and by unit), scoped to the viewer."""

import datetime as dt
from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from . import queries
from .models import Category, Clue, Finding, Inquiry, InspectionTour, Talk


def _by(qs, field, choices):
    counts = dict(qs.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [(str(label), counts.get(value, 0)) for value, label in choices]


def yearly(user, year: int) -> dict:
    """Sections of (label, count) rows; each becomes a chart and an xlsx sheet."""
    talks = queries.talks_visible_to(user).filter(status=Talk.Status.HELD, talked_on__year=year)
    dispositions = queries.dispositions_visible_to(user).filter(decided_on__year=year).exclude(status="revoked")
    inquiries = queries.inquiries_visible_to(user).filter(issued_on__year=year)
    tours = queries.tours_visible_to(user).filter(year=year)
    findings = Finding.objects.filter(tour__in=tours.values("pk"))
    clues = queries.clues_visible_to(user).filter(created_at__year=year)
    by_unit = Counter()
    for qs in (talks, dispositions, inquiries):
        for name, n in qs.values_list("unit__name").annotate(n=Count("pk")).values_list("unit__name", "n"):
            by_unit[name] += n
    return {
        "talks": {"title": _("Talks by kind"), "rows": _by(talks, "kind", Talk.Kind.choices)},
        "dispositions": {"title": _("Dispositions by category"), "rows": _by(dispositions, "category", Category.choices)},
        "inquiries": {
            "title": _("Written inquiries and outcomes"),
            "rows": [
                (_("issued"), inquiries.count()),
                (_("awaiting reply"), inquiries.filter(status=Inquiry.Status.DELIVERED).count()),
                (_("overdue replies"), inquiries.filter(status=Inquiry.Status.DELIVERED, reply_due_on__lt=dt.date.today()).count()),
            ]
            + _by(inquiries.filter(status=Inquiry.Status.CLOSED), "assessment", Inquiry.Assessment.choices),
        },
        "tours": {
            "title": _("Inspection tours and findings"),
            "rows": [(_("tours"), tours.count()), (_("findings"), findings.count())] + _by(findings, "category", Finding.Category.choices),
        },
        "tour_stages": {"title": _("Inspection tours by stage"), "rows": _by(tours, "stage", InspectionTour.Stage.choices)},
        "clues": {"title": _("Clues by status"), "rows": _by(clues, "status", Clue.Status.choices)},
        "units": {"title": _("Talks, dispositions and inquiries by unit"), "rows": sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))},
    }
