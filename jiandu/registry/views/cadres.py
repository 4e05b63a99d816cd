"""Cadre list, detail and forms; family members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.queries import history_for

from .. import actions, exports, hooks, queries, rules
from ..forms import CadreFilter, CadreForm, MoveCadreForm, RelativeForm, RemoveRelativeForm
from ..models import Cadre, Relative
from .common import add_action_error, cleaned_filters, export, paginate, sort_links


def _crumbs(*extra):
    return [(_("Cadres"), reverse("registry:cadre_list")), *extra]


def filtered_cadres(request):
    """The cadre list's filter, shared by the page and its xlsx export."""
    return queries.filter_cadres(request.user, **cleaned_filters(CadreFilter(request.GET)))


@login_required
def cadre_list(request):
    access.require(request.user, "registry.view")
    filters = CadreFilter(request.GET)
    page = paginate(request, queries.with_current_tenures(filtered_cadres(request)))
    may_see = queries.sensitive_checker(request.user)
    for cadre in page:
        cadre.show_sensitive = may_see(cadre)  # else the year of birth only (docs/decisions/0007)
    return render(
        request,
        "registry/cadre_list.html",
        {
            "page": page,
            "filters": filters,
            "units": queries.unit_filter_choices(request.user, request.GET.get("unit")),
            "sorts": sort_links(request, queries.CADRE_SORTS),
            "can_create": access.can(request.user, "registry.manage"),
            "can_import": access.can(request.user, "registry.import"),
            "tab": "cadres",
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def cadres_export(request):
    access.require(request.user, "registry.view")
    tally = exports.SensitiveTally()
    return export(
        request,
        name="cadres",
        columns=exports.CADRE_EXPORT_COLUMNS,
        rows=exports.cadre_rows(request.user, filtered_cadres(request), tally),
        sheet_title=_("Cadres"),
        filters=cleaned_filters(CadreFilter(request.GET)),
        sensitive=tally,
    )


@login_required
def cadre_detail(request, pk):
    cadre = queries.get_cadre_for(request.user, pk)
    can_manage = access.can(request.user, "registry.manage", cadre.unit)
    show_sensitive = queries.may_see_sensitive(request.user, cadre)
    tenures = list(cadre.tenures.select_related("position__unit").order_by("ended_on", "-started_on"))
    links = hooks.tenure_links(request.user, tenures)
    for tenure in tenures:
        tenure.can_end = tenure.is_current and access.can(request.user, "registry.manage", tenure.position.unit)
        tenure.links = links.get(tenure.pk, [])
    relatives, removed = queries.relatives_of(cadre) if show_sensitive else ([], [])
    # Views in clear are journaled (for the audit administrator), not listed among the record's actions.
    entries = [entry for entry in history_for(request.user, cadre=cadre) if entry.action != actions.SENSITIVE_VIEW_ACTION]
    if show_sensitive:
        actions.record_sensitive_view(actor=request.user, cadre=cadre, page="detail")
    return render(
        request,
        "registry/cadre_detail.html",
        {
            "cadre": cadre,
            "show_sensitive": show_sensitive,
            "tenures": tenures,
            "relatives": relatives,
            "removed_relatives": removed,
            "can_manage": can_manage,
            "can_appoint": can_manage and cadre.status == Cadre.Status.SERVING,
            "move_form": MoveCadreForm(user=request.user, cadre=cadre) if can_manage else None,
            "entries": entries,
            "tab": "cadres",
            # Self service reads its own record without the cadre list: no link to it then.
            "breadcrumbs": _crumbs((cadre.name, None)) if access.can(request.user, "registry.view") else [(cadre.name, None)],
        },
    )


@login_required
def cadre_create(request):
    access.require(request.user, "registry.manage")
    initial = {"ethnicity": "汉族", "political_status": Cadre.PoliticalStatus.CPC, "education": Cadre.Education.BACHELOR}
    unit_id = request.GET.get("unit")
    if unit_id and unit_id.isascii() and unit_id.isdigit():
        initial["unit"] = unit_id
    form = CadreForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cadre = actions.create_cadre(actor=request.user, unit=form.cleaned_data["unit"], **form.action_values())
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("Cadre %(name)s registered.") % {"name": cadre.name})
            return redirect("registry:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Register a cadre"),
            "cancel_url": reverse("registry:cadre_list"),
            "tab": "cadres",
            "breadcrumbs": _crumbs((_("Register a cadre"), None)),
        },
    )


@login_required
def cadre_edit(request, pk):
    cadre = queries.get_cadre_for(request.user, pk, "registry.manage")
    show_sensitive = queries.may_see_sensitive(request.user, cadre)
    initial = {name: getattr(cadre, name) for name in actions.CADRE_FIELDS}
    form = CadreForm(request.POST or None, initial=initial, user=request.user, cadre=cadre, show_sensitive=show_sensitive)
    if request.method == "GET" and show_sensitive:  # the form shows the ID number and phone
        actions.record_sensitive_view(actor=request.user, cadre=cadre, page="edit")
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_cadre(actor=request.user, cadre=cadre, **form.action_values())
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": cadre.name})
            return redirect("registry:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": cadre.name},
            "cancel_url": reverse("registry:cadre_detail", args=[cadre.pk]),
            "masked": {} if show_sensitive else {"id_number": cadre.id_number, "phone": cadre.phone},
            "tab": "cadres",
            "breadcrumbs": _crumbs((cadre.name, reverse("registry:cadre_detail", args=[cadre.pk])), (_("Edit"), None)),
        },
    )


@login_required
@require_POST
def cadre_move(request, pk):
    cadre = queries.get_cadre_for(request.user, pk, "registry.manage")
    form = MoveCadreForm(request.POST, user=request.user, cadre=cadre)
    if form.is_valid():
        try:
            actions.move_cadre(actor=request.user, cadre=cadre, unit=form.cleaned_data["unit"])
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s now belongs to %(unit)s.") % {"name": cadre.name, "unit": form.cleaned_data["unit"].name})
    else:
        messages.error(request, _("Choose the unit to move the cadre to."))
    return redirect("registry:cadre_detail", pk=cadre.pk)


@login_required
def relative_add(request, pk):
    cadre = queries.get_cadre_for(request.user, pk, "registry.manage")
    if not queries.may_see_sensitive(request.user, cadre):
        raise access.NotVisible()
    form = RelativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_relative(actor=request.user, cadre=cadre, **form.cleaned_data)
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("Family member recorded."))
            related = queries.cadres_visible_to(request.user).filter(pk__in=[other.pk for _r, other, _h in rules.relatives_in_registry(cadre)])
            for row in rules.current_conflicts([cadre, *related]):
                messages.warning(request, _("Avoidance conflict: %(reason)s (%(basis)s)") % {"reason": row["reason"], "basis": row["basis"]})
            return redirect(reverse("registry:cadre_detail", args=[cadre.pk]) + "#family")
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Add a family member of %(name)s") % {"name": cadre.name},
            "cancel_url": reverse("registry:cadre_detail", args=[cadre.pk]),
            "tab": "cadres",
            "breadcrumbs": _crumbs((cadre.name, reverse("registry:cadre_detail", args=[cadre.pk])), (_("Add a family member"), None)),
        },
    )


@login_required
def relative_remove(request, pk):
    relative = Relative.objects.filter(pk=pk, is_removed=False).select_related("cadre").first()
    if relative is None:
        raise access.NotVisible()
    cadre = queries.get_cadre_for(request.user, relative.cadre_id, "registry.manage")
    if not queries.may_see_sensitive(request.user, cadre):
        raise access.NotVisible()
    form = RemoveRelativeForm(request.POST or None)
    if request.method == "GET":  # the confirmation shows the family member
        actions.record_sensitive_view(actor=request.user, cadre=cadre, page="family")
    if request.method == "POST" and form.is_valid():
        try:
            actions.remove_relative(actor=request.user, relative=relative, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("Family record removed; it stays in the history."))
            return redirect(reverse("registry:cadre_detail", args=[cadre.pk]) + "#family")
    return render(
        request,
        "registry/relative_remove.html",
        {
            "form": form,
            "relative": relative,
            "cadre": cadre,
            "tab": "cadres",
            "breadcrumbs": _crumbs((cadre.name, reverse("registry:cadre_detail", args=[cadre.pk])), (_("Remove a family record"), None)),
        },
    )


@login_required
def my_record(request):
    access.require(request.user, "self.view")
    if not request.user.cadre_id:
        raise access.NotVisible()
    return redirect("registry:cadre_detail", pk=request.user.cadre_id)
