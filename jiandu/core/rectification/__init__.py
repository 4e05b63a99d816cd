"""Rectification (整改) building blocks shared by the audit findings (责任监督) and the inspection
tours (日常监督, 巡察): one implementation, two users (issue #13 §5).

Each app keeps its own concrete tables (subclasses of the abstract bases in `models.py`), so its
access scoping and journal codes stay its own; the state changes are the functions of `flow.py`,
called by each app's actions after they have locked the item and checked access:

    open ─record_progress─▶ reported ─verify_and_close─▶ closed ─record_visit─▶ (follow-up visits)
      ▲                         │
      └──return_for_more_work───┘

`send_overdue_reminders` (run by each app's job) reminds once per item the day after its deadline
and escalates it once after `rectification.escalation_working_days` working days overdue. The
default deadline is `rectification.default_days` calendar days after the report (`default_due`).
"""
