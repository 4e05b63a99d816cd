"""Where each JSON API route's access is tested (tests/test_routes.py walks the resolver), and
core pages tested here rather than in tests/test_core_pages.py."""

_REG = "../../registry/tests/test_api.py::"
_ACC = "../../accounts/tests/test_api.py::"

ACCESS_TESTED = {
    "core:todo": "test_todo.py::test_another_users_item_is_neither_listed_nor_opened",
    "core:todo_open": [
        "test_todo.py::test_another_users_item_is_neither_listed_nor_opened",
        "test_todo.py::test_an_unknown_key_or_an_item_linking_outside_is_not_found",
    ],
    "core:events": "test_events.py::test_events_page_is_the_system_administrators",
    "core:events_retry": "test_events.py::test_events_page_is_the_system_administrators",
    "core:events_backfill": "test_events.py::test_events_page_is_the_system_administrators",
    "core:journal_checkpoint": "test_journal_checkpoints.py::test_checkpoint_download_refused_to_everyone_else",
    "api-docs-asset": "test_api.py::test_docs_assets_are_allow_listed",
    "api-index": "test_api.py::test_unknown_api_address_is_json_404",
    "api-not-found": "test_api.py::test_unknown_api_address_is_json_404",
    "api:api-root": "test_api.py::test_unknown_api_address_is_json_404",
    "api:openapi-json": "test_api.py::test_openapi_document_needs_authentication",
    "api:openapi-view": "test_api.py::test_docs_page_needs_a_login",
    "api:me": [_ACC + "test_me", _ACC + "test_me_needs_authentication"],
    "api:list_tokens": _ACC + "test_token_list_shows_only_my_tokens_without_secrets",
    "api:create_token": [_ACC + "test_create_token_needs_csrf_under_a_session", _ACC + "test_a_token_cannot_create_tokens"],
    "api:get_token": _ACC + "test_other_peoples_tokens_are_404",
    "api:revoke_token": _ACC + "test_other_peoples_tokens_are_404",
    "api:list_units": [_REG + "test_units_list_is_scoped_and_filtered", _REG + "test_units_list_needs_registry_view_somewhere"],
    "api:create_unit": _REG + "test_create_unit_elsewhere_or_at_the_top_is_404",
    "api:get_unit": _REG + "test_unit_detail_and_wrong_unit",
    "api:update_unit": _REG + "test_update_unit_refusals",
    "api:unit_team": _REG + "test_leadership_team",
    "api:list_cadres": _REG + "test_cadre_list_is_scoped_filtered_and_sorted",
    "api:create_cadre": _REG + "test_create_cadre_refusals",
    "api:get_cadre": _REG + "test_cadre_of_another_unit_is_404",
    "api:update_cadre": _REG + "test_cadre_of_another_unit_is_404",
    "api:move_cadre": _REG + "test_move_cadre",
    "api:list_positions": _REG + "test_positions_list_and_detail",
    "api:create_position": _REG + "test_create_and_update_position",
    "api:get_position": _REG + "test_positions_list_and_detail",
    "api:update_position": _REG + "test_create_and_update_position",
    "api:list_tenures": _REG + "test_tenure_list_filters_and_detail",
    "api:appoint": _REG + "test_appoint_refusals",
    "api:get_tenure": _REG + "test_tenure_list_filters_and_detail",
    "api:end_tenure": _REG + "test_end_tenure_refusals",
    "api:list_departures": _REG + "test_departures_are_scoped_to_visible_units",
}
