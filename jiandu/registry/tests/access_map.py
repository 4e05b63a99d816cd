"""Where each registry page's access is tested (collected by tests/test_routes.py).

test_access.py sends every registry route, GET and POST, as an anonymous visitor, as an officer
of another unit, as readers without registry.manage, as the administrators, a user without roles
and a cadre. tests/access_map.py already names the role × unit matrix for unit_tree, unit_detail,
cadre_list, cadre_detail and my_record; they are not repeated here.
"""

_ANONYMOUS = "test_access.py::test_anonymous_visitors_are_sent_to_the_login_on_every_registry_route"
_OTHER_UNIT = "test_access.py::test_an_officer_of_another_unit_gets_404_on_this_units_records_and_uploads"
_SCOPED = "test_access.py::test_lists_exports_and_pickers_show_another_units_officer_nothing_of_this_unit"
_READER = "test_access.py::test_a_reader_without_registry_manage_gets_404_on_every_manage_route"
_NO_ROLE = "test_access.py::test_administrators_and_users_without_a_registry_role_get_404_everywhere"

# A list, export or picker: only the user's scope (another unit's officer sees nothing of it).
_LIST = [_ANONYMOUS, _SCOPED, _NO_ROLE]
# A record of one unit that changes something: 404 for another unit, for readers, for the rest.
_MANAGE = [_ANONYMOUS, _OTHER_UNIT, _READER, _NO_ROLE]

ACCESS_TESTED = {
    "registry:index": [_ANONYMOUS, _SCOPED, _NO_ROLE],
    # units
    "registry:units_export": [*_LIST, "test_exports.py::test_exports_need_the_view_permission"],
    "registry:unit_create": [*_MANAGE, "test_views.py::test_unit_pages_of_another_unit_are_404"],
    "registry:unit_edit": [*_MANAGE, "test_views.py::test_unit_pages_of_another_unit_are_404", "test_views.py::test_reader_cannot_force_unit_edit"],
    "registry:unit_create_child": [*_MANAGE, "test_views.py::test_unit_pages_of_another_unit_are_404"],
    "registry:position_create": [*_MANAGE, "test_views.py::test_unit_pages_of_another_unit_are_404"],
    # cadres
    "registry:cadres_export": [*_LIST, "test_exports.py::test_exports_are_empty_outside_the_scope", "test_exports.py::test_exports_need_the_view_permission"],
    "registry:cadre_create": [*_LIST, _READER, "test_views.py::test_cadre_create_in_a_unit_out_of_scope_is_refused"],
    "registry:cadre_edit": [*_MANAGE, "test_views.py::test_cadre_edit_happy_path_and_wrong_unit"],
    "registry:cadre_move": [*_MANAGE, "test_views.py::test_move_cadre"],
    "registry:appoint_cadre": [*_MANAGE, "test_views.py::test_appoint_from_the_cadre_page"],
    "registry:relative_add": [*_MANAGE, "test_views.py::test_relatives_of_another_unit_are_404"],
    "registry:relative_remove": [*_MANAGE, "test_views.py::test_relatives_of_another_unit_are_404"],
    # positions and tenures
    "registry:position_list": _LIST,
    "registry:positions_export": [*_LIST, "test_exports.py::test_exports_are_empty_outside_the_scope"],
    "registry:position_detail": [_ANONYMOUS, _OTHER_UNIT, _NO_ROLE, "test_views.py::test_position_pages_of_another_unit_are_404"],
    "registry:position_edit": [*_MANAGE, "test_views.py::test_position_pages_of_another_unit_are_404"],
    "registry:appoint": [
        *_MANAGE,
        "test_views.py::test_position_pages_of_another_unit_are_404",
        "test_views.py::test_appoint_cannot_pick_a_cadre_out_of_scope",
    ],
    "registry:tenure_list": [*_LIST, "test_views.py::test_position_and_tenure_lists"],
    "registry:tenures_export": [*_LIST, "test_exports.py::test_exports_need_the_view_permission"],
    # family members through the API (test_relatives_import.py)
    "api:add_relative": "test_relatives_import.py::test_api_family_records_out_of_reach_are_404",
    "api:record_emigration": "test_relatives_import.py::test_api_family_records_out_of_reach_are_404",
    "api:list_conflicts": ["test_rules.py::test_api_lists_the_conflicts_in_scope"],
    "registry:conflicts": [*_LIST, "test_rules.py::test_conflicts_page_lists_the_conflict_with_its_basis_only_to_who_sees_both"],
    "registry:tenure_end": [*_MANAGE, "test_views.py::test_end_tenure_of_another_unit_is_404"],
    # pickers
    "registry:pick_cadres": [*_LIST, "test_views.py::test_pickers_search_by_initials_within_scope"],
    "registry:pick_units": [*_LIST, _READER, "test_views.py::test_pickers_search_by_initials_within_scope"],
    "registry:pick_positions": [*_LIST, _READER],
    # xlsx import
    "registry:import_index": [*_LIST, _READER, "test_imports.py::test_import_pages_need_the_import_permission"],
    "registry:import_template": [_ANONYMOUS, _READER, _NO_ROLE, "test_imports.py::test_template_needs_import_permission"],
    "registry:import_preview": [*_MANAGE, "test_imports.py::test_upload_preview_commit_flow"],
    "registry:import_commit": [*_MANAGE, "test_imports.py::test_upload_preview_commit_flow"],
    "registry:import_cancel": _MANAGE,
    # the 任免审批表 (.lrmx and the printed form)
    "registry:cadres_lrmx": [_ANONYMOUS, _SCOPED, _NO_ROLE, "test_lrmx_views.py::test_leader_without_sensitive_view_cannot_export_or_print"],
    "registry:cadre_lrmx": [_ANONYMOUS, _OTHER_UNIT, _NO_ROLE, "test_lrmx_views.py::test_leader_without_sensitive_view_cannot_export_or_print"],
    "registry:cadre_form_pdf": [_ANONYMOUS, _OTHER_UNIT, _NO_ROLE, "test_lrmx_views.py::test_leader_without_sensitive_view_cannot_export_or_print"],
    "registry:cadre_record_edit": [*_MANAGE, "test_lrmx_views.py::test_outsider_cannot_see_the_record_page"],
    "registry:lrmx_import": [*_LIST, _READER, "test_lrmx.py::test_import_cannot_touch_a_cadre_outside_scope"],
    "registry:lrmx_preview": _MANAGE,
}
