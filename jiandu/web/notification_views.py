"""Notifications (core.notifications): the bell's list of the user's own notifications, newest
first, read / unread; opening one marks it read and leads to its page; "mark all read"; the
user's own address for notification mail."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core import action_forms, actions, notifications
from jiandu.core.listing import paginate
from jiandu.core.models import NotificationAddress


class AddressForm(forms.Form):
    email = forms.CharField(label=gettext_lazy("E-mail address for notifications"), required=False, max_length=254)


@login_required
def notification_list(request):
    qs = notifications.visible_to(request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    page = paginate(request, qs)
    address = NotificationAddress.objects.filter(user_id=request.user.pk).values_list("email", flat=True).first() or ""
    rows = [{"n": n, "kind": notifications.kind_label(n.kind)} for n in page.object_list]
    return render(
        request,
        "core/notifications.html",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "unread": notifications.unread_count(request.user),
            "form": AddressForm(initial={"email": address}),
            "mail_configured": notifications.mail_configured(),
            "breadcrumbs": [(_("Notifications"), None)],
        },
    )


@login_required
def notification_open(request, pk):
    """Mark one of the user's own notifications read and go to its page (another user's is not
    found; the address comes from the stored notification, never from the request)."""
    note = notifications.visible_to(request.user).filter(pk=pk).first()
    if note is None:
        raise access.NotVisible()
    actions.mark_notifications_read(actor=request.user, ids=[note.pk])
    return redirect(note.url or "core:notifications")


@login_required
@require_POST
def notification_read_all(request):
    n = actions.mark_notifications_read(actor=request.user)
    if n:
        messages.success(request, _("All notifications are marked read."))
    return redirect("core:notifications")


@login_required
@require_POST
def notification_address(request):
    form = AddressForm(request.POST)
    if form.is_valid():
        return action_forms.run_action(
            request,
            lambda: actions.set_notification_address(actor=request.user, email=form.cleaned_data["email"]),
            _("The address for notification mail was saved."),
            "core:notifications",
        )
    messages.error(request, _("This is not a valid e-mail address."))
    return redirect("core:notifications")
