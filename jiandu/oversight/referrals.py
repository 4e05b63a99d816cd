"""Daily supervision's side of `core.clue_referrals`: another pillar's finding becomes a clue of
the registry, registered in the sending department and transferred to the receiving one through
the registry's own actions (same checks, same journal, same deadlines)."""

from jiandu.core.clue_referrals import ClueRegistry, ReferredClue, register_clue_registry


def refer(*, actor, cadre, from_unit, to_unit, summary: str, source: str) -> ReferredClue:
    from .actions import clues
    from .models import Clue

    clue = clues.register_clue(actor=actor, cadre=cadre, from_unit=from_unit, source=source, summary=summary, sensitivity=Clue.Sensitivity.SENSITIVE)
    clue = clues.transfer_clue(actor=actor, clue=clue, to_unit=to_unit)
    return ReferredClue(id=clue.pk, number=clue.number, to_unit_name=clue.to_unit.name)


def receiving_units() -> list[tuple[int, str]]:
    from .models import JointMember

    return list(JointMember.objects.filter(is_active=True).order_by("unit__path").values_list("unit_id", "unit__name"))


def sending_department(user):
    """A department's 线索联络员 sends from the unit of their narrowest assignment carrying
    `oversight.clues` (a role on its own unit); None for a user who is no clue officer."""
    from jiandu.accounts import access
    from jiandu.registry.models import Unit

    paths = [a.unit_path for a in access.assignments(user) if a.unit_path and "oversight.clues" in access.ROLE_PERMISSIONS.get(a.role, ())]
    return Unit.objects.filter(path=max(paths, key=len)).first() if paths else None


def register() -> None:
    register_clue_registry(ClueRegistry(refer=refer, receiving_units=receiving_units, sending_department=sending_department))
