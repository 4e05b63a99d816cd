"""audit_clearance(cadre, on): why a candidate lacks the completed economic audit a selection needs."""

import datetime as dt

from django.utils import translation

from jiandu.audits import actions
from jiandu.audits.queries import audit_clearance
from jiandu.audits.tests.test_course import _reported
from jiandu.core import events
from jiandu.core.actions import change_setting
from jiandu.core.models import DomainEvent
from jiandu.registry import actions as registry_actions
from jiandu.testing import system_admin


def test_a_cadre_without_a_subject_post_needs_no_audit(district):
    registry_actions.appoint(actor=district.registrar, cadre=district.li, position=district.deputy, started_on=dt.date(2021, 1, 1))
    assert audit_clearance(district.li) == []
    assert audit_clearance(district.wang) == []


def test_needed_from_the_day_the_post_starts_and_translated(district):
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    assert audit_clearance(district.zhang, dt.date(2019, 12, 31)) == []  # not yet a subject
    with translation.override("zh-hans"):
        assert audit_clearance(district.zhang, dt.date(2020, 1, 1)) == [f"{tenure.position}（自2020-01-01起）尚未开展经济责任审计。"]


def test_clearance_stages(district):
    audit = _reported(district)  # 张伟明, finance director, final report issued
    zhang = audit.cadre
    with translation.override("en"):
        reasons = audit_clearance(zhang)
        assert len(reasons) == 1 and "0 findings are not yet verified" in reasons[0]
        finding = actions.add_finding(
            actor=district.auditor, audit=audit, category="other", amount=0, responsibility="direct", description="问题", owner=district.li
        )
        assert "1 findings are not yet verified" in audit_clearance(zhang)[0]
        item = finding.items.get()
        actions.record_progress(actor=district.auditor, item=item, on=audit.report_issued_on, progress="已整改")
        actions.close_item(actor=district.auditor, item=item)
        today = dt.date.today()
        assert audit_clearance(zhang, today) == []
        # Asked as of the day before the closing: completed only later.
        assert "completed only on" in audit_clearance(zhang, today - dt.timedelta(days=1))[0]


def test_not_started_and_under_way_and_exempted(district):
    change_setting(actor=system_admin(), key="audits.every_departure", value=False)
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.wang, position=district.edu_director, started_on=dt.date(2020, 1, 1))
    with translation.override("en"):
        assert audit_clearance(district.wang) == [f"No economic-responsibility audit of the post {tenure.position} (from 2020-01-01) has been started."]
        registry_actions.end_tenure(actor=district.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
        events.process_pending()
        event = DomainEvent.objects.get(kind="registry.departure")
        exemption = actions.request_exemption(actor=district.auditor, event=event, reason="由上级审计")
        assert audit_clearance(district.wang)  # requested only: still not clear
        actions.decide_exemption(actor=district.head, exemption=exemption, approve=True)
        assert audit_clearance(district.wang) == []
    tenure2 = registry_actions.appoint(actor=district.registrar, cadre=district.zhang, position=district.director, started_on=dt.date(2021, 1, 1))
    actions.start_in_term_audit(actor=district.auditor, tenure=tenure2, reason="理由")
    with translation.override("en"):
        assert audit_clearance(district.zhang) == [f"The audit of the post {tenure2.position} is not completed (stage: planned)."]
