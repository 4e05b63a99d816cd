"""Small pieces every registry page uses: paging, sorting links, action errors on forms, exports."""

from jiandu.core import exports
from jiandu.core.action_forms import add_action_error  # noqa: F401 - the views import it from here
from jiandu.core.listing import PAGE_SIZES, cleaned_filters, page_size, paginate, sort_links  # noqa: F401


def export(request, *, name: str, columns, rows, sheet_title: str, filters: dict, sensitive=None):
    """An xlsx download of a list (core.exports.export_list: journaled once, as a read, with its
    row count). `sensitive` is the SensitiveTally that masked the rows, if any."""
    data = {"list": name, "filters": {k: str(v) for k, v in filters.items()}}
    return exports.export_list(request.user, code=f"registry.{name}.exported", title=sheet_title, columns=columns, rows=rows, data=data, tally=sensitive)
