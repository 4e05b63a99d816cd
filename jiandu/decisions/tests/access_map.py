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
}
