"""Small pieces every registry page uses: paging, sorting links, action errors on forms, exports."""

from django.db import transaction
from django.utils import timezone

from jiandu.core import exports, journal
from jiandu.core.action_forms import add_action_error  # noqa: F401 - the views import it from here
from jiandu.core.listing import PAGE_SIZES, cleaned_filters, page_size, paginate, sort_links  # noqa: F401


def export(request, *, name: str, columns, rows, sheet_title: str, filters: dict, sensitive=None):
    """An xlsx download of a list; journaled as a sensitive read with its row count. `sensitive`
    (a callable, read after writing) says whether ID numbers and phones went out in clear:
    "all", "some" or "none"."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response, count = exports.export_response(f"{sheet_title}-{stamp}.xlsx", columns=columns, rows=rows, sheet_title=sheet_title)
    with transaction.atomic():
        data = {"list": name, "rows": count, "filters": {k: str(v) for k, v in filters.items()}}
        if sensitive is not None:
            data["sensitive_in_clear"] = sensitive()
        journal.record(f"registry.{name}.exported", actor=request.user, data=data)
    return response
