"""Shared view plumbing: list pages with xlsx export, action forms, file downloads, the index."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import action_forms, exports, journal
from jiandu.core.listing import paginate

from .. import queries, uploads
from ..forms import ListFilter
from ..tables import cell_rows


def filter_rows(
    request,
    qs,
    *,
    statuses=(),
    kinds=(),
    kind_field="kind",
    status_field="status",
    date_field=None,
    year_field=None,
    cadre_field="cadre",
    unit_field="unit",
    overdue_q=None,
):
    """Apply the common filter bar (keyword, unit subtree, status, kind, year, overdue)."""
    form = ListFilter(request.GET or None, user=request.user, statuses=statuses, kinds=kinds)
    if not form.is_valid():
        return form, qs
    data = form.cleaned_data
    if data.get("q") and cadre_field:
        text = data["q"].strip()
        qs = qs.filter(Q(**{f"{cadre_field}__name__contains": text}) | Q(**{f"{cadre_field}__name_initials__startswith": text.lower()}))
    if data.get("unit") and unit_field:
        qs = qs.filter(**{f"{unit_field}__path__startswith": data["unit"].path})
    if data.get("status"):
        qs = qs.filter(**{status_field: data["status"]})
    if data.get("kind"):
        qs = qs.filter(**{kind_field: data["kind"]})
    if data.get("year") and year_field:
        qs = qs.filter(**{year_field: data["year"]})
    elif data.get("year") and date_field:
        qs = qs.filter(**{f"{date_field}__year": data["year"]})
    if data.get("overdue") and overdue_q is not None:
        qs = qs.filter(overdue_q)
    return form, qs


def list_page(request, *, title, qs, columns, form, export_name, actions=(), extra=None, template="oversight/list.html", on_shown=None):
    """Render a list page, or its xlsx export with `?format=xlsx` (same filter, all rows).
    `on_shown(rows)` is called with the rows actually shown (the page, or every exported row)."""
    if request.GET.get("format") == "xlsx":
        rows = list(qs)
        if on_shown is not None:
            on_shown(rows)
        # A list taken away as a file is journaled as a read, with what it held (SECURITY.md).
        return exports.export_list(
            request.user,
            code=f"oversight.{export_name}.exported",
            title=title,
            columns=columns,
            rows=exports.object_rows(columns, rows),
            data={"list": export_name, "ids": [row.pk for row in rows]},
        )
    page = paginate(request, qs)
    if on_shown is not None:
        on_shown(page.object_list)
    context = {
        "title": title,
        "form": form,
        "page": page,
        "headers": [c.label for c in columns],
        "rows": cell_rows(columns, page.object_list),
        "actions": actions,
        "breadcrumbs": [(_("Daily supervision"), reverse("oversight:index")), (title, None)],
    }
    context.update(extra or {})
    return render(request, template, context)


def action_page(request, *, form, obj, title, call, success, back, template="oversight/action_form.html", confirm=""):
    """GET shows the form; POST runs one action (core.action_forms.action_form). ActionError → the
    message beside its field (or on top), nothing stored, the input kept."""
    crumbs = [(_("Daily supervision"), reverse("oversight:index")), (str(obj) if obj else title, back), (title, None)]
    context = {"obj": obj, "title": title, "confirm": confirm, "breadcrumbs": crumbs}
    return action_forms.action_form(request, form=form, call=call, success=success, back=back, template=template, context=context)


def require_answer(user, cadre_id, unit) -> None:
    """Answers (a written explanation, an inquiry reply, a duty report) are given by the cadre
    themself (self.answer) or recorded by an officer managing the unit: as the actions decide,
    so that nobody else is shown a form the action would refuse."""
    if not access.may_answer(user, cadre_id, unit, "oversight.manage"):
        raise access.NotVisible()


def form_data(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@login_required
def index(request):
    """The pillar's landing page: what needs attention, linking to the filtered lists."""
    if not (access.can(request.user, "oversight.view") or access.can(request.user, "oversight.clues") or access.can(request.user, "self.view")):
        raise access.NotVisible()
    counts = queries.attention_counts(request.user)
    cards = []
    links = {
        "overdue_talks": (_("Required talks overdue"), reverse("oversight:talk_list") + "?status=required&overdue=on"),
        "overdue_follow_ups": (_("Talk follow-ups overdue"), reverse("oversight:talk_list") + "?overdue=on"),
        "overdue_inquiries": (_("Inquiry replies overdue"), reverse("oversight:inquiry_list") + "?status=delivered&overdue=on"),
        "awaiting_assessment": (_("Inquiry replies awaiting assessment"), reverse("oversight:inquiry_list") + "?status=replied"),
        "overdue_rectification": (_("Rectification items overdue"), reverse("oversight:rectification_list") + "?overdue=on"),
        "open_yellow_cards": (_("Yellow cards to decide or to admonish"), reverse("oversight:yellow_card_list")),
        "missing_duty_reports": (_("Duty reports missing"), reverse("oversight:duty_report_list") + "?status=pending&overdue=on"),
        "running_influence": (_("Cadres under an influence period"), reverse("oversight:disposition_list") + "?status=effective&overdue=on"),
        "overdue_clue_receipts": (_("Clue receipts overdue"), reverse("oversight:clue_list") + "?status=transferred&overdue=on"),
        "overdue_clue_feedback": (_("Clue feedback overdue"), reverse("oversight:clue_list") + "?overdue=on"),
        "clues_to_receive": (_("Clues awaiting receipt"), reverse("oversight:clue_list") + "?status=transferred"),
    }
    for key, number in counts.items():
        label, url = links[key]
        cards.append({"label": label, "number": number, "url": url, "attention": bool(number) and key != "running_influence"})
    return render(
        request,
        "oversight/index.html",
        {
            "cards": cards,
            "can_view": access.can(request.user, "oversight.view"),
            "can_clues": access.can(request.user, "oversight.clues") or access.can(request.user, "oversight.view_clues_all"),
            "my_inquiries": queries.my_inquiries(request.user),
            "my_duty_reports": queries.my_duty_reports(request.user),
            "breadcrumbs": [(_("Daily supervision"), None)],
        },
    )


@login_required
def download(request, pk):
    """Serve an attachment to a user who may read its record: as a download, never inline."""
    attachment, owner = queries.get_attachment_for(request.user, pk)
    path = uploads.path_of(attachment)
    if not path.exists():
        raise access.NotVisible()
    journal.record(
        "oversight.file.downloaded",
        actor=request.user,
        target=attachment,
        unit=getattr(owner, "unit", None) or getattr(owner, "organiser", None),
        cadre=getattr(owner, "cadre_id", None),
        data={"owner": attachment.owner_type, "owner_id": attachment.owner_id},
    )
    response = FileResponse(path.open("rb"), as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
