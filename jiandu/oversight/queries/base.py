"""Reads of 日常监督 shared by every part: a row in the caller's scope or 404, the scoped queryset."""

from jiandu.accounts import access


def _get(qs, pk):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise access.NotVisible()
    row = qs.filter(pk=pk).first()
    if row is None:
        raise access.NotVisible()
    return row


# --- generic scoping -------------------------------------------------------------------------------


def _scoped(model, user, perm="oversight.view", path_field="unit__path"):
    return model.objects.filter(access.scope_q(user, perm, path_field))


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
