"""Where each audits route's wrong-unit / wrong-role test lives (collected by tests/test_routes.py)."""

_PAGES = "test_departures.py::test_wrong_unit_and_wrong_role_get_404"
_HANDOVERS = "test_handovers.py::test_handover_pages_wrong_unit_and_wrong_role_get_404"
_HANDOVER_API = "test_api.py::test_handover_api_parties_items_and_confirmations"
_NOTICE = "test_notice.py::test_notice_wrong_unit_and_wrong_role_get_404"
_API = "test_api.py::test_api_is_scoped_and_exemption_needs_the_right"

_PLANS = "test_plans.py::test_plan_pages_and_api"
_IN_TERM = "test_plans.py::test_in_term_pages_and_api"
_EXEMPT = "test_plans.py::test_exemption_pages_request_and_decide"

_COURSE = "test_course.py::test_course_through_the_pages_with_overdue_card"
_COURSE_API = "test_course.py::test_course_api"

_TRAINING = "test_training.py::test_training_pages_wrong_role_and_wrong_unit_get_404"
_TRAINING_API = "test_training.py::test_training_api_scoped_and_wrong_role_404"

_APPEALS = "test_appeals.py::test_appeal_pages_wrong_unit_and_wrong_role_get_404"
_APPEALS_API = "test_appeals.py::test_appeals_api"
_TRAINING_DELETE = "test_training_template_delete.py::test_delete_wrong_role_and_wrong_unit_get_404"

ACCESS_TESTED = {
    "audits:audit_report_pdf": "test_report_pdf.py::test_report_pdf_before_the_report_and_for_the_wrong_unit_is_404",
    "audits:audit_appeal": _APPEALS,
    "audits:appeal_decide": _APPEALS,
    "audits:appeal_decision_pdf": _APPEALS,
    "api:audits_appeals": _APPEALS_API,
    "api:audits_apply_for_appeal": _APPEALS_API,
    "api:audits_decide_appeal": _APPEALS_API,
    "audits:training_delete": _TRAINING_DELETE,
    "audits:training_template": "test_training_template_delete.py::test_the_template_is_for_those_who_manage_training",
    "api:audits_training_delete_session": "test_training_template_delete.py::test_delete_through_the_api",
    "audits:training_list": _TRAINING,
    "audits:training_create": _TRAINING,
    "audits:training_hours": _TRAINING,
    "audits:training_missed": _TRAINING,
    "audits:training_detail": _TRAINING,
    "audits:training_edit": _TRAINING,
    "audits:training_add": _TRAINING,
    "audits:training_remove": _TRAINING,
    "audits:training_import": _TRAINING,
    "audits:training_attendance": _TRAINING,
    "api:audits_training_sessions": _TRAINING_API,
    "api:audits_training_create_session": _TRAINING_API,
    "api:audits_training_session": _TRAINING_API,
    "api:audits_training_update_session": _TRAINING_API,
    "api:audits_training_add_participant": _TRAINING_API,
    "api:audits_training_remove_participant": _TRAINING_API,
    "api:audits_training_record_attendance": _TRAINING_API,
    "api:audits_training_hours": _TRAINING_API,
    "api:audits_training_missed": _TRAINING_API,
    "audits:audit_fieldwork": _COURSE,
    "audits:audit_draft": _COURSE,
    "audits:audit_comments": _COURSE,
    "audits:audit_report": _COURSE,
    "audits:audit_finding": _COURSE,
    "audits:audit_close": _COURSE,
    "audits:findings": _COURSE,
    "audits:finding_item_add": _COURSE,
    "audits:rectification_step": _COURSE,
    "audits:rectification_evidence": "test_rectification.py::test_evidence_download_is_scoped_and_journaled",
    "api:audits_start_fieldwork": _COURSE_API,
    "api:audits_send_draft_report": _COURSE_API,
    "api:audits_record_comments": _COURSE_API,
    "api:audits_issue_final_report": _COURSE_API,
    "api:audits_add_finding": _COURSE_API,
    "api:audits_close_audit": _COURSE_API,
    "api:audits_findings": _COURSE_API,
    "api:audits_add_rectification_item": _COURSE_API,
    "api:audits_rectification_items": _COURSE_API,
    "api:audits_record_progress": _COURSE_API,
    "api:audits_close_item": _COURSE_API,
    "api:audits_return_item": _COURSE_API,
    "api:audits_record_visit": _COURSE_API,
    "audits:exemption_decide": _EXEMPT,
    "api:audits_exemptions": "test_api.py::test_api_is_scoped_and_exemption_needs_the_right",
    "api:audits_decide_exemption": "test_api.py::test_api_is_scoped_and_exemption_needs_the_right",
    "audits:audits": _IN_TERM,
    "audits:start_in_term": _IN_TERM,
    "audits:candidates": _IN_TERM,
    "api:audits_audits": _IN_TERM,
    "api:audits_start_in_term": _IN_TERM,
    "api:audits_candidates": _PLANS,
    "audits:plans": _PLANS,
    "audits:plan_draft": _PLANS,
    "audits:plan_detail": _PLANS,
    "audits:plan_add": _PLANS,
    "audits:plan_remove": _PLANS,
    "audits:plan_approve": _PLANS,
    "api:audits_plans": _PLANS,
    "api:audits_draft_plan": _PLANS,
    "api:audits_plan": _PLANS,
    "api:audits_add_plan_entry": _PLANS,
    "api:audits_remove_plan_entry": _PLANS,
    "api:audits_approve_plan": _PLANS,
    "audits:index": _PAGES,
    "audits:departures": _PAGES,
    "audits:departure_exempt": _PAGES,
    "audits:handovers": _HANDOVERS,
    "audits:handover_detail": _HANDOVERS,
    "audits:handover_parties": _HANDOVERS,
    "audits:handover_item": _HANDOVERS,
    "audits:handover_attach": "test_handovers.py::test_hostile_handover_files_are_refused_with_nothing_stored",
    "audits:handover_file": "test_handovers.py::test_a_checklist_item_takes_files_for_the_parties_to_read",
    "audits:handover_sign": [_HANDOVERS, "test_handovers.py::test_three_party_confirmation_and_a_successor_cannot_supervise"],
    "api:audits_handovers": _HANDOVER_API,
    "api:audits_handover": _HANDOVER_API,
    "api:audits_handover_parties": _HANDOVER_API,
    "api:audits_handover_item": _HANDOVER_API,
    "api:audits_handover_attach": [
        "test_handovers.py::test_a_file_through_the_api",
        "test_handovers.py::test_the_api_upload_is_refused_outside_the_auditors_scope",
    ],
    "api:audits_handover_sign": _HANDOVER_API,
    "audits:audit_detail": _NOTICE,
    "audits:audit_notice": _NOTICE,
    "audits:audit_notice_pdf": _NOTICE,
    "api:audits_audit": "test_notice.py::test_notice_api",
    "api:audits_serve_notice": "test_notice.py::test_notice_api",
    "api:audits_subjects": _API,
    "api:audits_open_departures": _API,
    "api:audits_exempt_departure": _API,
    "audits:handover_pdf": "test_handover_pdf.py::test_pdf_wrong_unit_and_wrong_role_get_404",
    "audits:finding_clue": "test_finding_clue.py::test_page_transfer_twice_nul_and_access",
    "api:audits_transfer_finding_as_clue": "test_finding_clue.py::test_api_transfer_once",
}
