"""The demo district: the committee member's account belongs to the standing committee and sees a
meeting whose appointment item fails the 2/3 quorum and is shown void."""

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import User
from jiandu.decisions import verdict as rules
from jiandu.decisions.models import AgendaItem, Meeting
from jiandu.testing import log_in


def test_demo_meeting_has_a_void_appointment_item_the_committee_member_sees(db):
    call_command("load_demo", "--small", stdout=StringIO())
    meeting = Meeting.objects.get()
    appointment = meeting.items.get(category=AgendaItem.Category.APPOINTMENT)
    assert appointment.outcome == rules.VOID
    total = meeting.attendances.count()
    assert meeting.attendances.filter(present=True).count() == rules.quorum_needed(total, rules.APPOINTMENT) - 1
    User.objects.filter(username="demo_committee").update(must_change_password=False)  # as with JIANDU_DEMO=1
    member = User.objects.get(username="demo_committee")
    assert meeting.body.memberships.filter(cadre_id=member.cadre_id).exists()
    page = log_in(Client(), member).get(reverse("decisions:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    assert "无效" in page.content.decode()
    home = log_in(Client(), member).get(reverse("core:home")).content.decode()
    assert reverse("decisions:index") in home
