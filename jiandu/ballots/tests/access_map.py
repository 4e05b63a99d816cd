"""Where each ballots route's access test lives (collected by tests/test_routes.py). The voters'
pages under /vote/ are public by prefix (a one-time code admits one ballot)."""

_OUTSIDER = "test_views.py::test_every_page_is_404_for_another_units_officer"
_READER = "test_views.py::test_every_management_page_is_404_for_a_results_reader_of_the_unit"
_API_OUTSIDER = "test_api.py::test_another_units_officer_gets_404_everywhere"
_API_READER = "test_api.py::test_a_results_reader_may_not_manage"

_PAGES = [
    "update",
    "window",
    "rate_display",
    "eligibility",
    "open",
    "close",
    "discard",
    "codes",
    "void_batch",
    "report",
    "paper",
    "paper_issue",
    "paper_form_pdf",
    "paper_sheet",
    "paper_counts",
    "paper_post_counts",
    "paper_resolve",
    "paper_void",
]

ACCESS_TESTED = {
    "ballots:index": ["test_views.py::test_index_lists_only_ballots_in_scope", "test_views.py::test_index_and_create_need_a_ballot_role"],
    "ballots:create": ["test_views.py::test_index_and_create_need_a_ballot_role", "test_views.py::test_cannot_create_for_another_unit"],
    "ballots:detail": _OUTSIDER,
    "ballots:results": [_OUTSIDER, "test_views.py::test_results_page_and_exports"],
    "ballots:results_export": [_OUTSIDER, "test_views.py::test_nothing_sealed_is_shown_to_officers"],
    **{f"ballots:{name}": [_OUTSIDER, _READER] for name in _PAGES},
    "api:list_ballots": ["test_api.py::test_list_is_paginated_filtered_and_scoped", _API_READER],
    "api:create_ballot": [_API_OUTSIDER, _API_READER],
    "api:get_ballot": [_API_OUTSIDER, _API_READER],
    "api:open_ballot": [_API_OUTSIDER, _API_READER],
    "api:close_ballot": [_API_OUTSIDER, _API_READER],
    "api:generate_ballot_codes": [_API_OUTSIDER, _API_READER],
    "api:get_ballot_results": [_API_OUTSIDER, _API_READER],
    "api:list_ballot_receipts": _API_OUTSIDER,
}
