"""The page of 干部档案必审 (the personnel-file review of a candidate, 凡提四必); the four checks'
state is shown on the case page (views.case_detail)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from jiandu.accounts import access

from . import actions, forms, queries
from .views import _form_page, _managed_case, case_url


@login_required
def file_review(request, pk, candidate_pk):
    case = _managed_case(request, pk)
    candidate = queries.get_candidate_for(request.user, candidate_pk)
    if candidate.case_id != case.pk:
        raise access.NotVisible()
    cadre = candidate.cadre
    initial = {"birth_on": cadre.birth_on, "party_join_on": cadre.party_join_on, "work_start_on": cadre.work_start_on, "education": cadre.education}
    return _form_page(
        request,
        title=_("Review the personnel file of %(name)s (干部档案必审)") % {"name": cadre.name},
        form=forms.FileReviewForm(request.POST or None, initial=initial),
        run=lambda d: actions.record_file_review(actor=request.user, candidate=candidate, **d),
        back=case_url(case),
        success=_("The personnel-file review is recorded."),
    )
