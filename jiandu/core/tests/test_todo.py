"""The 待办 inbox (core.todo): items from every registered area, most urgent first, read /
unread, a failing area shown unavailable, opening an item marks it read (journaled) and leads to
its page — only an item of the user's own inbox, never an address from the request."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core import todo
from jiandu.core.models import JournalEntry, TodoRead
from jiandu.testing import log_in, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def areas():
    """Two test areas instead of the apps' own (restored afterwards); `state` drives them."""
    saved = dict(todo._areas)
    todo._areas.clear()
    state = {"done": set(), "fail": False}

    def work(user, today):
        items = [
            todo.TodoItem(key="test.a:1", title="回复征求意见", subject="张三", url="/todo/?x=1", due_on=today - dt.timedelta(days=1)),
            todo.TodoItem(key="test.a:2", title="确认签收", subject="李四", url="/todo/?x=2", due_on=today),
            todo.TodoItem(key="test.a:3", title="无期限事项", subject="王五", url="/todo/?x=3"),
            todo.TodoItem(key="test.a:4", title="明天到期", subject="赵六", url="/todo/?x=4", due_on=today + dt.timedelta(days=1)),
        ]
        return [i for i in items if i.key not in state["done"]]

    def broken(user, today):
        if state["fail"]:
            raise RuntimeError("boom")
        return [todo.TodoItem(key="test.b:1", title="外部事项", subject="孙七", url="https://example.org/phish")]

    todo.register_todo("test_a", work, label="测试甲")
    todo.register_todo("test_b", broken, label="测试乙")
    yield state
    todo._areas.clear()
    todo._areas.update(saved)


def test_items_are_sorted_by_due_date_and_the_day_of_is_not_overdue(areas):
    user = make_user(role=Role.ORG_OFFICER)
    inbox = todo.items_for(user, TODAY)
    assert [i.key for i in inbox.items] == ["test.a:1", "test.a:2", "test.a:4", "test.a:3", "test.b:1"]
    overdue = {i.key: i.overdue(TODAY) for i in inbox.items}
    assert overdue == {"test.a:1": True, "test.a:2": False, "test.a:4": False, "test.a:3": False, "test.b:1": False}
    assert {i.area for i in inbox.items} == {"test_a", "test_b"}


def test_a_failing_area_is_unavailable_and_the_rest_shows(areas, client):
    areas["fail"] = True
    user = make_user(role=Role.ORG_OFFICER)
    log_in(client, user)
    page = client.get(reverse("core:todo"))
    body = page.content.decode()
    assert page.status_code == 200 and "测试乙" in body and "回复征求意见" in body and "外部事项" not in body
    home = client.get(reverse("core:home")).content.decode()
    assert "回复征求意见" in home and "测试乙" in home


def test_opening_marks_read_once_journals_and_redirects_to_the_items_page(areas, client):
    user = make_user(role=Role.ORG_OFFICER)
    log_in(client, user)
    url = reverse("core:todo_open") + "?key=test.a:1"
    for _ in range(2):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"] == "/todo/?x=1"
    assert TodoRead.objects.filter(user=user, key="test.a:1").count() == 1
    assert JournalEntry.objects.filter(action="core.todo.opened", actor_id=user.pk).count() == 1
    body = client.get(reverse("core:todo") + "?show=unread").content.decode()
    assert "回复征求意见" not in body and "确认签收" in body
    overdue_only = client.get(reverse("core:todo") + "?show=overdue").content.decode()
    assert "回复征求意见" in overdue_only and "确认签收" not in overdue_only


def test_an_unknown_key_or_an_item_linking_outside_is_not_found(areas, client):
    user = make_user(role=Role.ORG_OFFICER)
    log_in(client, user)
    for key in ("test.a:99", "", "https://example.org", "test.b:1"):  # test.b:1 links off the site
        assert client.get(reverse("core:todo_open"), {"key": key}).status_code == 404
    assert not TodoRead.objects.exists()


def test_an_item_done_leaves_the_inbox(areas, client):
    user = make_user(role=Role.ORG_OFFICER)
    log_in(client, user)
    areas["done"].add("test.a:2")
    body = client.get(reverse("core:todo")).content.decode()
    assert "确认签收" not in body and "回复征求意见" in body


def test_nothing_waits_and_anonymous_users_are_sent_to_log_in(areas, client):
    areas["done"].update({"test.a:1", "test.a:2", "test.a:3", "test.a:4"})
    todo._areas.pop("test_b")
    assert client.get(reverse("core:todo")).status_code == 302
    log_in(client, make_user(role=Role.ORG_OFFICER))
    body = client.get(reverse("core:todo")).content.decode()
    assert "没有" in body or "Nothing waits" in body


def test_another_users_item_is_neither_listed_nor_opened(areas, client):
    owner, other = make_user(role=Role.ORG_OFFICER), make_user(role=Role.ORG_OFFICER)
    todo.register_todo(
        "test_c",
        lambda user, today: [todo.TodoItem(key="test.c:1", title="仅本人事项", subject="甲", url="/todo/?x=c")] if user == owner else [],
        label="测试丙",
    )
    log_in(client, other)
    assert "仅本人事项" not in client.get(reverse("core:todo")).content.decode()
    assert client.get(reverse("core:todo_open"), {"key": "test.c:1"}).status_code == 404
    log_in(client, owner)
    assert "仅本人事项" in client.get(reverse("core:todo")).content.decode()
    assert client.get(reverse("core:todo_open"), {"key": "test.c:1"}).status_code == 302
