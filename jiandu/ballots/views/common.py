"""What the ballot pages share: breadcrumbs, the way back, file responses, the public address."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.core.practice import get_setting


def _crumbs(ballot=None, *more):
    crumbs = [(_("Secret ballots"), reverse("ballots:index"))]
    if ballot is not None:
        crumbs.append((ballot.title, reverse("ballots:detail", args=[ballot.pk])))
    crumbs.extend(more)
    crumbs[-1] = (crumbs[-1][0], None)
    return crumbs


def _back(ballot, anchor=""):
    return redirect(reverse("ballots:detail", args=[ballot.pk]) + anchor)


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _public_base(request) -> str:
    return (get_setting("ballots.public_base_url") or "").strip().rstrip("/") or request.build_absolute_uri("/").rstrip("/")
