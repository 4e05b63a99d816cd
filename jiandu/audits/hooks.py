"""What other apps ask of economic-responsibility audits. Selection asks `audit_clearance` before a
candidate becomes an inspection subject (issue #15 §2); the answer is `queries.audit_clearance`:
translated reasons why the cadre lacks the completed audit a selection needs (empty: clear)."""

import datetime as dt


def audit_clearance(cadre, on: dt.date) -> list[str]:
    from .queries import audit_clearance as clearance

    return clearance(cadre, on)


def move_hold(cadre) -> list:
    """registry.hooks move hold: with the setting audits.hold_move_until_handover on, each departure
    handover of the cadre (as leaver) not yet confirmed by all three parties holds the next post."""
    from django.utils.translation import gettext as _

    from jiandu.core.blockers import Blocker
    from jiandu.core.practice import get_setting

    from .models import Handover, HandoverSignature

    if not get_setting("audits.hold_move_until_handover"):
        return []
    out = []
    for handover in Handover.objects.filter(cadre_id=cadre.pk, status=Handover.Status.OPEN).select_related("unit").prefetch_related("signatures"):
        signed = {s.party for s in handover.signatures.all()}
        missing = [label for value, label in HandoverSignature.Party.choices if value not in signed]
        out.append(
            Blocker(
                "handover_unsigned",
                _(
                    "The departure handover of %(name)s at %(unit)s (departed %(day)s) is not yet confirmed by %(missing)s; "
                    "the new post can be recorded once all three parties have confirmed it."
                )
                % {"name": cadre.name, "unit": handover.unit.name, "day": handover.departed_on.isoformat(), "missing": _(", ").join(str(m) for m in missing)},
                basis=_("Local practice: the personnel move is held until the departure handover is done"),
            )
        )
    return out
