"""Where each accounts route's access test lives (collected by tests/test_routes.py). Personal
pages act only on the logged-in user; their "wrong user" tests show another user's data stays out
of reach. Administration pages are tested against every role that must not use them."""

_OUTSIDERS = "test_admin_pages.py::test_outsiders_get_404_on_every_administration_page"

ACCESS_TESTED = {
    "accounts:password_change": [
        "test_actions.py::test_change_password_only_for_oneself",
        "test_sessions.py::test_password_change_errors_are_shown_and_nothing_changes",
    ],
    "accounts:me": "test_personal_pages.py::test_personal_pages_show_only_ones_own_account",
    "accounts:end_my_sessions": "test_personal_pages.py::test_ending_my_sessions_touches_only_mine",
    "accounts:totp_enrol": "test_personal_pages.py::test_two_factor_pages_act_only_on_ones_own_account",
    "accounts:totp_disable": "test_personal_pages.py::test_two_factor_pages_act_only_on_ones_own_account",
    "accounts:tokens": "test_token_pages.py::test_another_users_token_is_404_and_stays_valid",
    "accounts:token_revoke": "test_token_pages.py::test_another_users_token_is_404_and_stays_valid",
    "accounts:user_list": [_OUTSIDERS, "test_admin_pages.py::test_user_list_search_filters_and_pagination"],
    "accounts:user_create": [_OUTSIDERS, "test_admin_pages.py::test_security_administrator_may_not_use_system_administrator_actions"],
    "accounts:user_detail": [_OUTSIDERS, "test_admin_pages.py::test_unknown_user_is_404"],
    "accounts:user_reset_password": [_OUTSIDERS, "test_admin_pages.py::test_security_administrator_may_not_use_system_administrator_actions"],
    "accounts:user_disable": [_OUTSIDERS, "test_admin_pages.py::test_security_administrator_may_not_use_system_administrator_actions"],
    "accounts:user_enable": _OUTSIDERS,
    "accounts:user_end_sessions": [_OUTSIDERS, "test_admin_pages.py::test_security_administrator_may_not_use_system_administrator_actions"],
    "accounts:role_assign": [_OUTSIDERS, "test_admin_pages.py::test_system_administrator_may_not_use_security_administrator_actions"],
    "accounts:role_revoke": [_OUTSIDERS, "test_admin_pages.py::test_revoking_another_users_assignment_through_the_wrong_user_is_404"],
    "accounts:user_unlock": [_OUTSIDERS, "test_admin_pages.py::test_system_administrator_may_not_use_security_administrator_actions"],
    "accounts:user_reset_totp": [_OUTSIDERS, "test_admin_pages.py::test_system_administrator_may_not_use_security_administrator_actions"],
}
