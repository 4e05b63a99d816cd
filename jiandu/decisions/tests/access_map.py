"""Where each collective-decisions route's access is tested (collected by tests/test_routes.py)."""

_MEMBERS = "test_meetings.py::test_committee_member_sees_only_the_meetings_of_its_bodies"
_LOGIN = "test_meetings.py::test_pages_need_a_login_and_a_decisions_role"
_API = "test_meetings.py::test_api_lists_and_explains"

ACCESS_TESTED = {
    "decisions:index": [_MEMBERS, _LOGIN],
    "decisions:meeting": [_MEMBERS, _LOGIN],
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
    "api:list_weekly_logs": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:get_weekly_log": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:submit_weekly_log": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:publish_weekly_log": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:return_weekly_log": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:save_leader_profile": "test_weekly_logs.py::test_api_submit_review_and_profile",
    "api:list_public_feedback": "test_weekly_logs.py::test_profile_and_feedback_pages_are_the_offices",
    "api:moderate_public_feedback": "test_weekly_logs.py::test_profile_and_feedback_pages_are_the_offices",
}
