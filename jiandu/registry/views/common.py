"""Small pieces every registry page uses: paging, sorting links, action errors on forms, exports."""

from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone

from jiandu.core import exports, journal
from jiandu.core.errors import ActionError

PAGE_SIZES = (20, 50, 100)


def page_size(request, default: int = 20) -> int:
    try:
        size = int(request.GET.get("size", default))
    except ValueError:
        size = default
    return size if size in PAGE_SIZES else default


def paginate(request, qs):
    return Paginator(qs, page_size(request)).get_page(request.GET.get("page"))


def sort_links(request, keys) -> dict:
    """For each sortable column: the `sort` value its header link sets (toggling the direction
    of the current column) and the arrow to show."""
    current = request.GET.get("sort", "")
    links = {}
    for key in keys:
        if current == key:
            links[key] = {"param": f"-{key}", "arrow": "▲"}
        elif current == f"-{key}":
            links[key] = {"param": key, "arrow": "▼"}
        else:
            links[key] = {"param": key, "arrow": ""}
    return links


def add_action_error(form, exc: ActionError) -> None:
    """Show an action's refusal beside the field it names, or on top of the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def cleaned_filters(form) -> dict:
    """The filters that parsed; a malformed one is left out (and shown as an error on the page),
    the others still apply."""
    form.is_valid()
    return {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}


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
