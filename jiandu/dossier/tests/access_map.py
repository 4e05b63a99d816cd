"""Where each dossier route's wrong-unit / wrong-role test lives (collected by tests/test_routes.py)."""

_SCOPE = "test_dossier.py::test_a_cadre_outside_the_readers_scope_is_404"

ACCESS_TESTED = {
    "dossier:statistics": [
        "test_statistics.py::test_without_dossier_view_the_page_is_refused",
        "test_statistics.py::test_each_area_counts_only_what_the_viewer_reads_there",
    ],
    "dossier:index": "test_dossier.py::test_self_service_opens_own_file_and_nothing_else",
    "dossier:cadre": [_SCOPE, "test_dossier.py::test_each_role_sees_exactly_its_share_of_the_canaries"],
    "dossier:cadre_pdf": _SCOPE,
    "dossier:cadre_photo": "test_dossier.py::test_photo_from_the_registry_for_those_who_may_open_the_file",
    "dossier:cadre_xlsx": _SCOPE,
    "api:dossier_cadre": _SCOPE,
    "dossier:alert_acknowledge": "test_alerts.py::test_alert_on_the_header_and_acknowledged_with_a_note",
    "api:dossier_scan_alerts": "test_alerts.py::test_alert_api_scan_and_acknowledgement",
    "api:dossier_acknowledge_alert": "test_alerts.py::test_alert_api_scan_and_acknowledgement",
    "api:dossier_handle_alert": "test_alert_pages.py::test_api_handling_needs_the_permission",
    "dossier:alerts": "test_alert_pages.py::test_wrong_role_or_department_gets_404",
    "dossier:alert_scan": "test_alert_pages.py::test_wrong_role_or_department_gets_404",
    "dossier:alert_handle": "test_alert_pages.py::test_wrong_role_or_department_gets_404",
}
