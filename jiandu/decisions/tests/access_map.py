"""Where each collective-decisions route's access is tested (collected by tests/test_routes.py)."""

_MEMBERS = "test_meetings.py::test_committee_member_sees_only_the_meetings_of_its_bodies"
_LOGIN = "test_meetings.py::test_pages_need_a_login_and_a_decisions_role"
_API = "test_meetings.py::test_api_lists_and_explains"

ACCESS_TESTED = {
    "decisions:index": [_MEMBERS, _LOGIN],
    "decisions:meeting": [_MEMBERS, _LOGIN],
    "decisions:bodies": "test_lists.py::test_bodies_list_is_scoped_filtered_sorted_and_exported",
    "decisions:meeting_minutes": "test_meetings.py::test_minutes_pdf_is_journaled_and_scoped",
    "decisions:record_meeting": "test_meetings.py::test_page_record_is_the_offices_only",
    "api:list_decision_meetings": _API,
    "api:get_decision_meeting": _API,
    "api:record_decision_meeting": "test_meetings.py::test_api_refusals_store_nothing",
    # 阳光周志 (weekly logs) and the public's feedback
    "decisions:logs": "test_weekly_logs.py::test_pages_self_service_and_review",
    "decisions:log_submit": "test_weekly_logs.py::test_pages_self_service_and_review",
    "decisions:log": "test_weekly_logs.py::test_pages_self_service_and_review",
    "decisions:log_publish": "test_weekly_logs.py::test_pages_self_service_and_review",
    "decisions:log_return": "test_weekly_logs.py::test_pages_self_service_and_review",
    "decisions:leader_profile": "test_weekly_logs.py::test_profile_and_feedback_pages_are_the_offices",
    "decisions:feedback": "test_weekly_logs.py::test_profile_and_feedback_pages_are_the_offices",
    "decisions:feedback_detail": "test_weekly_logs.py::test_profile_and_feedback_pages_are_the_offices",
    "decisions:feedback_clue": "test_weekly_logs.py::test_passing_a_report_is_the_moderators",
    "api:pass_public_feedback_as_clue": "test_weekly_logs.py::test_the_api_passes_a_report_once_and_only_for_the_moderating_clue_officer",
    "api:list_weekly_logs": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:get_weekly_log": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:submit_weekly_log": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:publish_weekly_log": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:return_weekly_log": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:save_leader_profile": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:list_public_feedback": "test_weekly_logs.py::test_profile_and_feedback_pages_are_the_offices",
    "api:moderate_public_feedback": "test_weekly_logs.py::test_profile_and_feedback_pages_are_the_offices",
}

_REG_PAGES = "test_registers.py::test_register_pages_for_the_office_and_404_for_others"
_REG_API = "test_registers.py::test_api_operations"
ACCESS_TESTED.update(
    {
        "decisions:new_body": [_REG_PAGES, "test_registers.py::test_page_forms_register_link_and_set_up_a_body"],
        "decisions:registers": _REG_PAGES,
        "decisions:new_register_entry": _REG_PAGES,
        "decisions:import_register": "test_registers.py::test_import_pages_are_the_units_office_only",
        "decisions:register_template": "test_registers.py::test_import_pages_are_the_units_office_only",
        "decisions:register_export": "test_registers.py::test_import_pages_are_the_units_office_only",
        "decisions:register_entry": _REG_PAGES,
        "decisions:rules": _REG_PAGES,
        "decisions:violations": _REG_PAGES,
        "decisions:hand_over_violation": "test_registers.py::test_hand_over_page_refuses_others",
        "decisions:tasks": _REG_PAGES,
        "decisions:new_task": "test_registers.py::test_import_pages_are_the_units_office_only",
        "decisions:task": "test_registers.py::test_the_owner_unit_reports_progress_and_only_the_office_closes",
        "api:create_decision_body": _REG_API,
        "api:list_register_entries": _REG_API,
        "api:add_register_entry": "test_registers.py::test_api_refuses_other_units",
        "api:import_register_entries": "test_registers.py::test_api_refuses_other_units",
        "api:link_register_decision": _REG_API,
        "api:set_decision_rule": "test_registers.py::test_api_refuses_other_units",
        "api:list_decision_violations": _REG_API,
        "api:hand_over_decision_violation": "test_registers.py::test_api_refuses_other_units",
        "api:list_decision_tasks": "test_registers.py::test_api_refuses_other_units",
        "api:create_decision_task": "test_registers.py::test_api_refuses_other_units",
        "api:report_decision_task_progress": "test_registers.py::test_api_refuses_other_units",
        "api:close_decision_task": "test_registers.py::test_api_refuses_other_units",
    }
)
