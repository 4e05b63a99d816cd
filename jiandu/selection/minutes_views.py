"""The minutes PDF of a case's decision (讨论决定纪要, minutes.py), for whoever sees the case;
the download is journaled."""

from django.contrib.auth.decorators import login_required

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.pdf import pdf_response

from . import minutes, queries


@login_required
def decision_minutes(request, pk):
    case = queries.get_case_for(request.user, pk)
    if getattr(case, "decision", None) is None:
        raise access.NotVisible()
    content = minutes.minutes_pdf(case)
    journal.record("selection.minutes.printed", actor=request.user, target=case, unit=case.unit, data={"held_on": case.decision.held_on})
    return pdf_response(content, minutes.minutes_filename(case))
