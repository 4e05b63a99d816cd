"""Appraisal actions: the only writes to appraisals (ARCHITECTURE.md rule 1).

States of a cycle (one action per transition):

    setup ──open_evaluation──▶ evaluation_open ──close_evaluation──▶ evaluation_closed
      │ create_cycle, update_cycle            │ set_*_report, save_indicators,      │
      │ add_unit / remove_unit                │ import_targets (ballots: codes,     │ propose_grades
      │ add_cadre / remove_cadre              │ paper entry, turnout)               ▼
      │ set_team_report / set_cadre_report                                 grades_proposed
      │ save_indicators / import_targets                                          │ propose_grades (again)
      ▼                                                                            │ confirm_grades
    results_used ◀──complete_cycle── grades_confirmed ◀──────────────────────────────┘
                                       │ record_result_use (also after completion)

open_evaluation creates and opens one ballot per assessed unit through the ballots app and stores
the ballot's id; close_evaluation closes them (if still open), copies the results, computes the
scores in the fixed order of scoring.py, and creates a yellow-card proposal for every cadre whose
dissatisfaction share reaches the threshold:

    AdmonishmentProposal: pending ──confirm_proposal / take_up_proposal──▶ confirmed
                                  └──dismiss_proposal (with a reason)──────▶ dismissed

Disqualifying events (record_disqualifying_event / withdraw_disqualifying_event) are kept per
cadre and checked whenever 优秀 is proposed or confirmed. Each action: keyword-only, `actor`
required, lock, `access.require`, preconditions as ActionError, write, `journal.record` in the
same transaction.
"""

from .cycles import (
    add_cadre,
    add_unit,
    complete_cycle,
    create_cycle,
    export_results,
    record_report_download,
    remove_cadre,
    remove_unit,
    set_cadre_report,
    set_team_report,
    update_cycle,
)
from .disqualifications import record_disqualifying_event, withdraw_disqualifying_event
from .evaluation import close_evaluation, open_evaluation
from .grades import complete_follow_up, confirm_grades, propose_grades
from .proposals import confirm_proposal, dismiss_proposal, take_up_proposal
from .targets import import_targets, save_indicators
from .uses import record_result_use

__all__ = [
    "add_cadre",
    "add_unit",
    "close_evaluation",
    "complete_cycle",
    "complete_follow_up",
    "confirm_grades",
    "confirm_proposal",
    "create_cycle",
    "dismiss_proposal",
    "export_results",
    "record_report_download",
    "import_targets",
    "open_evaluation",
    "propose_grades",
    "record_disqualifying_event",
    "record_result_use",
    "remove_cadre",
    "remove_unit",
    "save_indicators",
    "set_cadre_report",
    "set_team_report",
    "take_up_proposal",
    "update_cycle",
    "withdraw_disqualifying_event",
]
