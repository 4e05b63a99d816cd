"""List pages: one page size, one pager, whitelisted sorting and the filter form, for every app.

A list page is: the app's `*_visible_to(user)` query (the scope), narrowed by a filter form,
ordered by a whitelisted sort key, cut into pages. The xlsx export of the same rows goes through
`jiandu.core.exports.export_list` (one journal rule for every export).

    def talk_list(request):
        form = TalkFilter(request.GET)
        qs = queries.filter_talks(request.user, **listing.cleaned_filters(form))
        result = listing.list_page(request, qs, sorts=TALK_SORTS, default_sort="date")
        return render(request, "...", {"page": result.page, "sorts": result.sort_links, "form": form})

Templates: `{% include "components/pagination.html" %}` under the table and, in a header cell,
`{% include "components/sort_header.html" with link=sorts.date label=_("Date") %}`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZES = (20, 50, 100)
DEFAULT_PAGE_SIZE = 20


def page_size(request, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The `size` parameter when it is one of PAGE_SIZES, else `default`."""
    try:
        size = int(request.GET.get("size", default))
    except (TypeError, ValueError):
        return default
    return size if size in PAGE_SIZES else default


def paginate(request, qs, default: int = DEFAULT_PAGE_SIZE) -> Page:
    """The requested page (a page number out of range shows the last page, not an error)."""
    return Paginator(qs, page_size(request, default)).get_page(request.GET.get("page"))


def sort_key(sort: str | None, sorts: Mapping[str, str], default: str) -> str:
    """The sort parameter when its key is whitelisted in `sorts` ("key" or "-key"), else
    `default`: unknown keys never reach `order_by`."""
    sort = (sort or "").strip()
    return sort if sort.lstrip("-") in sorts and sort.count("-") <= 1 and not sort.endswith("-") else default


def order_by_sort(qs: QuerySet, sorts: Mapping[str, str], sort: str | None, default: str) -> QuerySet:
    """Order `qs` by the field a whitelisted key names ("-key" descending), then by id so that
    pages are stable; an unknown key orders by `default`."""
    sort = sort_key(sort, sorts, default)
    descending = sort.startswith("-")
    return qs.order_by(("-" if descending else "") + sorts[sort.lstrip("-")], "id")


def sort_links(request, keys: Iterable[str]) -> dict:
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


def cleaned_filters(form) -> dict:
    """The filters that parsed; a malformed one is left out (and shown as an error on the page),
    the others still apply."""
    form.is_valid()
    return {key: value for key, value in getattr(form, "cleaned_data", {}).items() if value not in (None, "")}


@dataclass
class ListPage:
    page: Page
    sort: str = ""
    sort_links: dict = field(default_factory=dict)

    @property
    def rows(self):
        return self.page.object_list


def list_page(request, qs, *, sorts: Mapping[str, str] | None = None, default_sort: str = "", default_size: int = DEFAULT_PAGE_SIZE) -> ListPage:
    """The page of `qs` (already scoped by the app's `*_visible_to` query and filtered) that the
    request asks for, sorted by a whitelisted key when `sorts` is given."""
    sort = ""
    if sorts:
        sort = sort_key(request.GET.get("sort"), sorts, default_sort)
        qs = order_by_sort(qs, sorts, sort, default_sort)
    return ListPage(page=paginate(request, qs, default_size), sort=sort, sort_links=sort_links(request, sorts or ()))
