"""Ballot actions: the only writes to ballots (ARCHITECTURE.md rule 1).

States of a ballot:

    draft ──open_ballot──▶ open ──close_ballot──▶ closed
      │ (discard_draft)      │                      │
      │ create_ballot        │ submit_ballot (voters, by code; sealed until close)
      │ update_ballot        │ enter_paper_sheet / enter_paper_counts (1 or 2 passes)
      │ set_eligibility      │ resolve_paper_entry / void_paper_entry
      │ set_subject_report   │ set_subject_report, update_window
      │ generate_codes ◀─────┤ generate_codes / void_code_batch / issue_paper_ballots
      ▼                      ▼                      ▼
    definition editable    definition frozen      tally stored, results visible,
                           votes accepted inside  data key destroyed
                           the window

Voting opens at `opens_at` (if set) and refuses votes from `closes_at` (if set); closing is an
officer's action because paper entries must be settled and the tally is made in the same
transaction. Each action: keyword-only, `actor` required (except `submit_ballot`, which the
anonymous voter performs with a code), lock, `access.require`, preconditions as ActionError,
write, `journal.record` in the same transaction — never with ballot choices or codes.
"""

from .closing import close_ballot, record_results_download
from .codes import generate_codes, issue_paper_ballots, void_code_batch
from .definitions import (
    UnitRef,
    create_ballot,
    discard_draft,
    open_ballot,
    set_eligibility,
    set_rate_display,
    set_subject_report,
    update_ballot,
    update_window,
)
from .paper import enter_paper_counts, enter_paper_post_counts, enter_paper_sheet, resolve_paper_entry, void_paper_entry
from .voting import CodeCheck, Submission, cast_ballot, cast_ballot_on, check_code, submit_ballot

__all__ = [
    "CodeCheck",
    "Submission",
    "UnitRef",
    "cast_ballot",
    "cast_ballot_on",
    "check_code",
    "close_ballot",
    "create_ballot",
    "discard_draft",
    "enter_paper_counts",
    "enter_paper_post_counts",
    "record_results_download",
    "enter_paper_sheet",
    "generate_codes",
    "issue_paper_ballots",
    "open_ballot",
    "resolve_paper_entry",
    "set_eligibility",
    "set_rate_display",
    "set_subject_report",
    "submit_ballot",
    "update_ballot",
    "update_window",
    "void_code_batch",
    "void_paper_entry",
]
