"""Audit pages: departure handovers, their parties, items, confirmations and the PDF."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from .. import actions, forms, queries
from ..models import HandoverSignature
from .common import _submit


@login_required
def handover_list(request):
    """Departure handovers (all visible, or only the overdue ones)."""
    qs = queries.handovers_visible_to(request.user)
    show_overdue = request.GET.get("overdue") == "1"
    if show_overdue:
        qs = queries.overdue(qs)
    today = dt.date.today()
    page = Paginator(qs.order_by("due_on", "id"), 50).get_page(request.GET.get("page"))
    for handover in page:
        handover.is_overdue = handover.status == handover.Status.OPEN and handover.due_on < today
    return render(request, "audits/handovers.html", {"page": page, "show_overdue": show_overdue})


@login_required
def handover_detail(request, pk):
    handover = queries.get_handover_for(request.user, pk)
    can_manage = access.can(request.user, "audits.manage", handover.unit) and handover.status == handover.Status.OPEN
    signed = {s.party: s for s in handover.signatures.select_related("user")}
    from jiandu.registry.models import Cadre

    parties = [(value, label, signed.get(value)) for value, label in HandoverSignature.Party.choices]
    context = {
        "handover": handover,
        "items": handover.items.prefetch_related("attachments"),
        "parties": parties,
        "can_manage": can_manage,
        "is_overdue": handover.status == handover.Status.OPEN and handover.due_on < dt.date.today(),
        "candidates": Cadre.objects.filter(unit__path__startswith=handover.unit.path).exclude(pk=handover.cadre_id).order_by("name")[:500]
        if can_manage
        else [],
    }
    return render(request, "audits/handover_detail.html", context)


def _run(request, pk, form_class, work, done):
    handover = queries.get_handover_for(request.user, pk)
    _submit(request, form_class, lambda data: work(handover, data), done)
    return redirect("audits:handover_detail", pk=handover.pk)


@login_required
@require_POST
def handover_parties(request, pk):
    from django.contrib.auth import get_user_model

    from jiandu.registry.models import Cadre

    def work(handover, data):
        successor = supervisor = None
        if data["successor"]:
            successor = Cadre.objects.filter(pk=data["successor"], unit__path__startswith=handover.unit.path).first()
            if successor is None:
                raise ActionError(_("Choose the successor from the unit's cadres."), field="successor")
        name = data["supervisor"].strip()
        if name:
            supervisor = get_user_model().objects.filter(username=name).first()
            if supervisor is None:
                raise ActionError(_("No account has this user name."), field="supervisor")
        actions.set_handover_parties(actor=request.user, handover=handover, successor=successor, supervisor=supervisor)

    return _run(request, pk, forms.HandoverPartiesForm, work, _("The parties to the handover are saved."))


@login_required
@require_POST
def handover_item(request, pk):
    def work(handover, data):
        actions.record_handover_item(actor=request.user, handover=handover, item_id=data["item"], figures=data["figures"], notes=data["notes"])

    return _run(request, pk, forms.HandoverItemForm, work, _("The item is saved."))


@login_required
@require_POST
def handover_attach(request, pk):
    """Attach a file to a checklist item (multipart form: item, file)."""
    handover = queries.get_handover_for(request.user, pk)
    form = forms.HandoverFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return redirect("audits:handover_detail", pk=handover.pk)
    try:
        actions.attach_handover_file(actor=request.user, handover=handover, item_id=form.cleaned_data["item"], upload=form.cleaned_data["file"])
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file is attached."))
    return redirect("audits:handover_detail", pk=handover.pk)


@login_required
def handover_file(request, pk, file_pk):
    """A checklist item's file, for whoever may open the handover's page; the download is journaled."""
    from jiandu.core import journal
    from jiandu.core.rectification import evidence

    from ..models import HandoverAttachment

    handover = queries.get_handover_for(request.user, pk)
    attachment = HandoverAttachment.objects.filter(pk=file_pk, item__handover=handover).select_related("item").first()
    path = actions.attachment_path(attachment.stored_name) if attachment else None
    if attachment is None or not path.exists():
        raise access.NotVisible()
    journal.record(
        "audits.handover.file_downloaded",
        actor=request.user,
        target=handover,
        unit=handover.unit,
        cadre=handover.cadre,
        data={"item": attachment.item.title, "file": attachment.name},
    )
    return evidence.download(path, attachment.name, attachment.content_type)


@login_required
@require_POST
def handover_sign(request, pk):
    return _run(
        request,
        pk,
        forms.SignForm,
        lambda h, data: actions.sign_handover(actor=request.user, handover=h, party=data["party"]),
        _("Your confirmation is recorded."),
    )


@login_required
def handover_pdf(request, pk):
    """The handover list (离任经济事项交接清单) as a PDF, for whoever may open the handover's page;
    the download is journaled like the other documents of the supervision offices."""
    from jiandu.core import journal
    from jiandu.core.pdf import pdf_response

    from ..documents import handover_filename
    from ..documents import handover_pdf as render

    handover = queries.get_handover_for(request.user, pk)
    content = render(handover, printed_on=dt.date.today())
    journal.record("audits.handover.printed", actor=request.user, target=handover, unit=handover.unit, cadre=handover.cadre, data={})
    return pdf_response(content, handover_filename(handover))
