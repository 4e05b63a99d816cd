"""The targeted check (重点查核) selection waits for (凡提四必), registered into selection.hooks by
`MattersConfig.ready()`: listing an inspection subject opens one (or keeps the one open), and the
decision's gate reads its state. See selection/hooks.py for the contract."""

from jiandu.selection.hooks import PersonalMattersChecks, register_personal_matters_checks


def _request(*, actor, cadre, reason):
    from .actions import request_targeted_check

    return request_targeted_check(actor=actor, cadre=cadre, reason=reason, reuse_open=True)


def _state(cadre):
    from .queries import targeted_check_state

    return targeted_check_state(cadre)


def _demo_conclude(*, actor, cadre):
    """Demo data: the open targeted check of `cadre` asks the first configured department, which has
    nothing on record; the check concludes consistent (no handling)."""
    import datetime as dt

    from jiandu.core.practice import get_setting

    from . import actions
    from .models import Check

    check = Check.objects.filter(cadre=cadre, kind=Check.Kind.TARGETED, status=Check.Status.OPEN).first()
    if check is None:
        return
    request = actions.send_request(actor=actor, check=check, department=list(get_setting("matters.check_departments"))[0])
    actions.record_reply(actor=actor, request=request, replied_on=dt.date.today(), rows=[])
    actions.conclude_check(actor=actor, check=check, handling="none", decided_on=dt.date.today())


register_personal_matters_checks(PersonalMattersChecks(request=_request, state=_state, demo_conclude=_demo_conclude))
