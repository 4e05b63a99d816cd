"""The demo district tells issue #14's story: a ¥2M project without a decision shows in the
violations, and a decision's task is overdue on the office's home card."""

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import User
from jiandu.decisions.models import DecisionTask, ViolationClue
from jiandu.testing import log_in


def test_demo_shows_a_violation_and_an_overdue_task(db):
    call_command("load_demo", "--small", stdout=StringIO())
    User.objects.filter(username__startswith="demo_").update(must_change_password=False)  # as with JIANDU_DEMO=1
    officer = User.objects.get(username="demo_org_officer")
    client = log_in(Client(), officer)
    page = client.get(reverse("decisions:violations")).content.decode()
    assert "区体育中心改造工程" in page and "新校区设计费预付款" in page
    assert "第二中学新校区建设项目</a>" not in page  # approved by a passed decision, executed after it
    tasks = client.get(reverse("decisions:tasks") + "?overdue=1").content.decode()
    assert "完成新校区项目立项和初步设计" in tasks and "新校区开工建设" not in tasks
    assert DecisionTask.objects.count() == 2 and ViolationClue.objects.count() == 0
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("decisions:tasks") + "?overdue=1" in home
    leader = log_in(Client(), User.objects.get(username="demo_unit_leader"))
    assert "区体育中心改造工程" in leader.get(reverse("decisions:violations")).content.decode()
