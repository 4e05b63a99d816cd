"""Early-warning rules of 选任监督 (registered in SelectionConfig.ready; the dossier's scan runs them):

- an influence period that bars promotion runs while a case still lists the cadre as a
  candidate (listed, no decision yet, not appointed);
- a probation (试用期) that has ended without its review.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.alerts import SERIOUS, WARNING, Match, register_rule
from jiandu.oversight.queries import barring_influence

from .models import Candidate


def influence_while_listed(today) -> list[Match]:
    """Candidates still in a case (no decision recorded, not appointed) whose cadre is under an
    influence period that bars a promotion today."""
    rows = Candidate.objects.filter(outcome="", tenure__isnull=True).select_related("cadre", "case")
    matches = []
    for candidate in rows:
        for running in barring_influence(candidate.cadre, "promotion", today):
            until = running.ends_on.isoformat() if running.ends_on else _("no end")
            matches.append(
                Match(
                    f"candidate:{candidate.pk}:disposition:{running.disposition.pk}",
                    candidate.cadre_id,
                    candidate.cadre.unit_id,
                    _("%(case)s lists %(name)s as a candidate while the influence period of %(measure)s runs until %(until)s.")
                    % {"case": candidate.case.title, "name": candidate.cadre.name, "measure": running.measure_label, "until": until},
                )
            )
    return matches


register_rule(
    "selection.influence_while_listed",
    gettext_lazy("A selection case lists a candidate while an influence period that bars promotion runs."),
    SERIOUS,
    influence_while_listed,
)


def probation_unreviewed(today) -> list[Match]:
    """Appointments on probation whose period ended before today without a review (on its last
    day: not yet overdue)."""
    rows = Candidate.objects.filter(probation_until__lt=today, probation_result="", tenure__isnull=False).select_related("cadre")
    return [
        Match(
            f"probation:{c.pk}",
            c.cadre_id,
            c.cadre.unit_id,
            _("The probation of %(name)s ended on %(day)s and is not reviewed (%(days)s days).")
            % {"name": c.cadre.name, "day": c.probation_until.isoformat(), "days": (today - c.probation_until).days},
        )
        for c in rows
    ]


register_rule(
    "selection.probation_unreviewed",
    gettext_lazy("A probation (试用期) has ended without its review."),
    WARNING,
    probation_unreviewed,
)
