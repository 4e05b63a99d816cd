"""Where each selection route's access is tested (collected by tests/test_routes.py)."""

_WRONG = "test_access.py::test_wrong_role_and_wrong_department_get_404_everywhere"
_DEPT = "test_cases.py::test_a_department_sees_only_its_own_requests"
_OFFICER = "test_cases.py::test_pages_open_for_the_officer"

ACCESS_TESTED = {
    "selection:index": _OFFICER,
    "selection:overdue": _OFFICER,
    "selection:new_case": _OFFICER,
    **{
        f"selection:{name}": _WRONG
        for name in (
            "case record_stage add_candidate record_canvassing prior_approval send_vetting override_vetting record_decision "
            "start_notice record_objection resolve_objection appoint review_probation sheet_pdf sheet_xlsx trace file_review recommendation"
        ).split()
    },
    "selection:vetting": [_WRONG, _DEPT],
    **{
        f"api:{name}": _WRONG
        for name in (
            "get_selection_case record_selection_stage record_selection_canvassing add_selection_candidate record_selection_approval "
            "send_selection_vetting override_selection_vetting record_selection_decision start_selection_notice "
            "record_selection_objection resolve_selection_objection appoint_selection_candidate review_selection_probation "
            "resolve_selection_vetting review_selection_file"
        ).split()
    },
    "api:get_selection_vetting": [_WRONG, _DEPT],
    "api:reply_selection_vetting": [_WRONG, _DEPT],
    "api:list_selection_cases": "test_cases.py::test_api_runs_a_stage_and_refuses_out_of_order",
    "api:create_selection_case": "test_cases.py::test_api_runs_a_stage_and_refuses_out_of_order",
    "api:list_selection_vetting": _DEPT,
    "api:list_selection_vetting_overdue": "test_cases.py::test_overdue_list",
    # materials (uploads) on stage records and vetting replies (test_materials.py)
    # the 干部任免审批表 filled from the case (test_case_forms.py)
    "selection:appform_pdf": [_WRONG, "test_case_forms.py::test_a_committee_member_sees_the_case_but_not_the_forms"],
    "selection:appform_lrmx": [_WRONG, "test_case_forms.py::test_a_committee_member_sees_the_case_but_not_the_forms"],
    "selection:attach_stage_material": "test_materials.py::test_a_stage_record_takes_files_read_by_who_sees_the_case",
    "selection:material": [
        "test_materials.py::test_a_stage_record_takes_files_read_by_who_sees_the_case",
        "test_materials.py::test_a_vetting_reply_carries_files_of_its_own_department_only",
    ],
    "selection:attach_vetting_material": "test_materials.py::test_a_vetting_reply_carries_files_of_its_own_department_only",
    "api:attach_selection_stage_material": "test_materials.py::test_files_through_the_api",
    "api:attach_selection_vetting_material": "test_materials.py::test_files_through_the_api",
    "selection:decision_minutes": "test_minutes.py::test_minutes_only_for_who_sees_the_case_and_only_after_the_decision",
    # the trace-back report and its accountability reviews
    **{
        f"{name}": "test_accountability.py::test_wrong_role_or_department_gets_404"
        for name in (
            "selection:trace_pdf selection:trace_xlsx selection:trace_tenure selection:review_new selection:review_conclude "
            "api:get_selection_trace api:open_selection_review api:conclude_selection_review"
        ).split()
    },
    # 复议 (test_reconsider.py)
    "selection:reconsider": "test_reconsider.py::test_other_roles_get_404",
    "api:reconsider_selection_decision": "test_reconsider.py::test_other_roles_get_404",
    "api:open_selection_recommendation": "test_recommendation.py::test_api_opens_and_records_and_refuses_outsiders",
    "api:record_selection_recommendation": "test_recommendation.py::test_api_opens_and_records_and_refuses_outsiders",
    # 一报告两评议 (test_survey.py)
    **{
        f"selection:{name}": "test_survey.py::test_wrong_role_and_wrong_unit_get_404"
        for name in "surveys new_survey survey close_survey survey_report survey_xlsx survey_note".split()
    },
    **{
        f"api:{name}": "test_survey.py::test_wrong_role_and_wrong_unit_get_404"
        for name in "list_selection_surveys get_selection_survey create_selection_survey close_selection_survey note_selection_survey_appointee".split()
    },
}
