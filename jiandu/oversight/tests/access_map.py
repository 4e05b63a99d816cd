"""Where each oversight route's wrong-unit / wrong-role test lives (collected by
tests/test_routes.py). Pages: test_access.py runs every page against the personas who must get
404 (another unit's officer, roles without the right, another cadre), one parametrised case per
route. API operations (names are global in the ninja API, hence the oversight_ prefix): the
tests in test_api.py that send the refused requests through the real stack."""

from .test_access import CASES

_PAGE = "test_access.py::test_wrong_unit_and_wrong_role_get_404[{}]"
_DETAILS = "test_views.py::test_wrong_unit_gets_404_on_every_detail"
_CREATE = "test_access.py::test_create_pages_do_not_offer_or_accept_another_units_cadre[{}-body{}]"

_DISPOSITIONS = "test_api.py::test_disposition_happy_path_scoping_and_influence_boundary"
_DISPOSITION_REFUSALS = "test_api.py::test_disposition_refusals_store_nothing"
_CONFIRM = "test_api.py::test_revoke_and_correct_need_the_right_to_confirm"
_TALKS = "test_api.py::test_yellow_card_and_talks"
_INQUIRY_FLOW = "test_api.py::test_inquiry_flow_with_the_cadres_own_token"
_INQUIRY_LIST = "test_api.py::test_inquiry_list_is_for_officers_and_the_cadre_only"
_CLUES = "test_api.py::test_clues_are_only_for_the_sending_and_receiving_departments"
_YELLOW_CARDS = "test_api.py::test_the_appraisals_yellow_cards"
_CLUE_READS = "test_api.py::test_every_clue_read_through_the_api_is_journaled"
_CLUE_MATRIX = "test_clue_matrix.py::test_each_demo_role_against_clues_of_its_own_and_other_departments"
_PARITY = "test_api_parity.py::{}"
_CLUE_ATTACK = "test_clue_matrix.py::test_the_reported_attack_vetting_officer_on_a_clue_to_the_discipline_commission"

ACCESS_TESTED = {name: _PAGE.format(name) for name in CASES}
ACCESS_TESTED.update(
    {
        "oversight:disposition_detail": [_PAGE.format("oversight:disposition_detail"), _DETAILS],
        "oversight:disposition_create": [_PAGE.format("oversight:disposition_create"), _CREATE.format("oversight:disposition_create", 0)],
        "oversight:talk_create": [_PAGE.format("oversight:talk_create"), _CREATE.format("oversight:talk_create", 1)],
        "oversight:inquiry_create": [_PAGE.format("oversight:inquiry_create"), _CREATE.format("oversight:inquiry_create", 2)],
        "api:oversight_list_dispositions": [_DISPOSITIONS, _DISPOSITION_REFUSALS],
        "api:oversight_get_disposition": _DISPOSITIONS,
        "api:oversight_create_disposition": _DISPOSITION_REFUSALS,
        "api:oversight_revoke_disposition": _CONFIRM,
        "api:oversight_correct_disposition": _CONFIRM,
        "api:oversight_create_admonishment": _TALKS,
        "api:oversight_cadre_influence": _DISPOSITIONS,
        "api:oversight_list_yellow_cards": _YELLOW_CARDS,
        "api:oversight_get_yellow_card": _YELLOW_CARDS,
        "api:oversight_confirm_yellow_card": _YELLOW_CARDS,
        "api:oversight_dismiss_yellow_card": _YELLOW_CARDS,
        "api:oversight_list_talks": _TALKS,
        "api:oversight_get_talk": _TALKS,
        "api:oversight_create_talk": _TALKS,
        "api:oversight_list_inquiries": _INQUIRY_LIST,
        "api:oversight_create_inquiry": [_INQUIRY_LIST, _INQUIRY_FLOW],
        "api:oversight_get_inquiry": _INQUIRY_FLOW,
        "api:oversight_issue_inquiry": _INQUIRY_FLOW,
        "api:oversight_deliver_inquiry": _INQUIRY_FLOW,
        "api:oversight_reply_inquiry": _INQUIRY_FLOW,
        "api:oversight_sign_off_inquiry": _INQUIRY_FLOW,
        "api:oversight_assess_inquiry": _INQUIRY_FLOW,
        "api:oversight_list_clues": [_CLUES, _CLUE_READS, _CLUE_MATRIX],
        "api:oversight_get_clue": [_CLUES, _CLUE_READS, _CLUE_MATRIX, _CLUE_ATTACK],
        "api:oversight_receive_clue": [_CLUES, _CLUE_MATRIX, _CLUE_ATTACK],
        "api:oversight_clue_feedback": [_CLUES, _CLUE_MATRIX, _CLUE_ATTACK],
        "api:oversight_transfer_clue": _CLUE_MATRIX,
        "api:oversight_close_clue": [_CLUE_MATRIX, _CLUE_ATTACK],
        "api:oversight_hold_talk": _PARITY.format("test_hold_a_required_talk"),
        "api:oversight_cancel_talk": _PARITY.format("test_cancel_a_required_talk"),
        "api:oversight_complete_talk_follow_up": _PARITY.format("test_complete_a_talks_follow_up"),
        "api:oversight_withdraw_inquiry": _PARITY.format("test_withdraw_an_undelivered_inquiry"),
        "api:oversight_create_clue": _PARITY.format("test_register_a_clue_as_the_sending_departments_clue_officer"),
        "api:oversight_list_tours": _PARITY.format("test_plan_and_read_an_inspection_tour"),
        "api:oversight_get_tour": _PARITY.format("test_plan_and_read_an_inspection_tour"),
        "api:oversight_create_tour": _PARITY.format("test_plan_and_read_an_inspection_tour"),
        "api:oversight_add_tour_target": _PARITY.format("test_prepare_and_station_a_tour"),
        "api:oversight_add_tour_member": _PARITY.format("test_prepare_and_station_a_tour"),
        "api:oversight_declare_interest": _PARITY.format("test_prepare_and_station_a_tour"),
        "api:oversight_remove_tour_member": _PARITY.format("test_prepare_and_station_a_tour"),
        "api:oversight_start_stationing": _PARITY.format("test_prepare_and_station_a_tour"),
        "api:oversight_log_tour_work": _PARITY.format("test_prepare_and_station_a_tour"),
        "api:oversight_finish_stationing": _PARITY.format("test_prepare_and_station_a_tour"),
        "api:oversight_list_duty_sessions": _PARITY.format("test_record_and_read_a_duty_session"),
        "api:oversight_get_duty_session": _PARITY.format("test_record_and_read_a_duty_session"),
        "api:oversight_create_duty_session": _PARITY.format("test_record_and_read_a_duty_session"),
        "api:oversight_statistics": "test_api.py::test_statistics_are_scoped_and_the_year_bounded",
    }
)
