"""Access tests of routes whose app's own tests do not (yet) cover them: core's pages, and the
registry pages through the role × unit matrix. Other apps declare theirs in
jiandu/<app>/tests/access_map.py (see tests/test_routes.py)."""

_MATRIX = "test_access_matrix.py::test_registry_pages_role_by_unit_matrix"

ACCESS_TESTED = {
    "core:home": "test_core_pages.py::test_home_shows_administrators_no_business_entries",
    "core:settings": "test_core_pages.py::test_settings_pages_only_for_settings_managers",
    "core:settings_change": "test_core_pages.py::test_settings_pages_only_for_settings_managers",
    "core:journal_search": "test_core_pages.py::test_journal_pages_only_for_the_audit_administrator",
    "core:journal_verify": "test_core_pages.py::test_journal_pages_only_for_the_audit_administrator",
    "core:journal_entry": "test_core_pages.py::test_journal_pages_only_for_the_audit_administrator",
    "registry:unit_tree": _MATRIX,
    "registry:unit_detail": _MATRIX,
    "registry:cadre_list": _MATRIX,
    "registry:cadre_detail": _MATRIX,
    "registry:my_record": "test_access_matrix.py::test_self_service_sees_only_ones_own_record",
}
