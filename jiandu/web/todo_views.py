"""The 待办 inbox page (core.todo): the user's own items across the pillars, most urgent first,
read / unread; opening an item marks it read and leads to its page."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import todo
from jiandu.core.actions import open_todo


def rows_for(user, today: dt.date) -> tuple[list[dict], todo.Inbox]:
    inbox = todo.items_for(user, today)
    read = todo.read_keys(user, [i.key for i in inbox.items])
    labels = {a.key: a.label for a in todo.areas()}
    rows = [
        {"item": i, "area": labels.get(i.area, ""), "read": i.key in read, "overdue": i.overdue(today), "due_today": i.due_on == today} for i in inbox.items
    ]
    return rows, inbox


@login_required
def todo_list(request):
    today = dt.date.today()
    rows, inbox = rows_for(request.user, today)
    unread = sum(1 for r in rows if not r["read"])
    show = request.GET.get("show", "")
    if show == "unread":
        rows = [r for r in rows if not r["read"]]
    elif show == "overdue":
        rows = [r for r in rows if r["overdue"]]
    return render(
        request,
        "core/todo.html",
        {
            "rows": rows,
            "show": show,
            "total": len(inbox.items),
            "unread": unread,
            "unavailable": inbox.unavailable,
            "breadcrumbs": [(_("To do"), "")],
        },
    )


@login_required
def todo_open(request):
    """Mark the item read and go to its page. Only an item of the user's own inbox: any other key
    is "not found" (no redirect to an address given by the request)."""
    key = request.GET.get("key", "")
    item = next((i for i in todo.items_for(request.user).items if i.key == key), None)
    if item is None or not item.url.startswith("/"):
        raise access.NotVisible()
    open_todo(actor=request.user, key=item.key)
    return redirect(item.url)
