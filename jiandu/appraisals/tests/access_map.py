"""Where each appraisals route's access test lives (collected by tests/test_routes.py)."""

_OUTSIDER = "test_views.py::test_wrong_unit_is_404_everywhere"
_ROLES = "test_views.py::test_roles_without_the_permission_get_404"
_API_OUTSIDER = "test_api.py::test_another_units_officer_gets_404_everywhere"
_API_ROLES = "test_api.py::test_roles_without_the_permission_get_404"

_PAGES = [
    "cycle_detail",
    "cycle_update",
    "add_unit",
    "complete",
    "targets",
    "targets_template",
    "evaluation",
    "evaluation_close",
    "grades",
    "grades_propose",
    "results",
    "results_export",
    "unit_detail",
    "unit_targets",
    "unit_remove",
    "unit_report",
    "cadre_add",
    "cadre_detail",
    "cadre_report_file",
    "cadre_remove",
    "cadre_use",
    "follow_up_done",
    "proposal_confirm",
    "proposal_dismiss",
    "event_withdraw",
]
# Lists: scoped (another unit's officer sees nothing of the district) and refused to other roles.
_LISTS = ["index", "cycle_create", "proposals", "events"]

ACCESS_TESTED = {
    **{f"appraisals:{name}": [_OUTSIDER, _ROLES] for name in _PAGES + _LISTS},
    "appraisals:unit_results": "test_grades.py::test_unit_leader_reads_only_his_units_confirmed_results",
    "api:list_appraisal_cycles": [_API_OUTSIDER, _API_ROLES],
    "api:create_appraisal_cycle": [_API_OUTSIDER, _API_ROLES],
    "api:get_appraisal_cycle": [_API_OUTSIDER, _API_ROLES],
    "api:open_appraisal_evaluation": [_API_OUTSIDER, _API_ROLES],
    "api:close_appraisal_evaluation": [_API_OUTSIDER, _API_ROLES],
    "api:get_appraisal_results": [_API_OUTSIDER, _API_ROLES],
    "api:list_appraisal_proposals": [_API_OUTSIDER, _API_ROLES],
    "api:confirm_appraisal_proposal": [_API_OUTSIDER, _API_ROLES],
    "api:dismiss_appraisal_proposal": [_API_OUTSIDER, _API_ROLES],
}
