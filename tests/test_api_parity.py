"""Issue #9.7: every action a page offers is reachable through the API. The public actions of each
app — functions defined in jiandu/<app>/actions.py or jiandu/<app>/actions/*.py that take a
keyword `actor` — are compared with what the apps' API modules call; an action no API operation
calls must be in NO_OPERATION below, with the reason. An entry that is no longer needed (the
action gained an operation, or is gone) fails the test too, so the list only shrinks honestly.
"""

import ast
import importlib
import inspect
from pathlib import Path

import jiandu

APPS = Path(jiandu.__file__).parent

# Actions without an API operation, each with the reason. Grouped by app.
NO_OPERATION = {
    # --- accounts: user administration stays on the administrators' pages, behind their two-factor
    # login (an administrator's token works only for its own tokens under /api/v1/accounts/)
    "jiandu.accounts.actions.users.create_user": "user administration: the system administrator's page",
    "jiandu.accounts.actions.users.reset_password": "user administration: the system administrator's page",
    "jiandu.accounts.actions.users.disable_user": "user administration: the system administrator's page",
    "jiandu.accounts.actions.users.enable_user": "user administration: the system administrator's page",
    "jiandu.accounts.actions.login.unlock_user": "user administration: the security administrator's page",
    "jiandu.accounts.actions.users.assign_role": "role assignment: the security administrator's page",
    "jiandu.accounts.actions.users.revoke_role": "role assignment: the security administrator's page",
    "jiandu.accounts.actions.users.end_all_sessions": "browser sessions: the security administrator's page",
    "jiandu.accounts.actions.two_factor.reset_totp": "second-factor reset: the security administrator's page",
    "jiandu.accounts.actions.users.change_password": "interactive: the session's own password, with the old one",
    "jiandu.accounts.actions.two_factor.start_totp_enrolment": "interactive: shows a key to scan with the user's own device",
    "jiandu.accounts.actions.two_factor.confirm_totp_enrolment": "interactive: confirms the scanned key with a code",
    "jiandu.accounts.actions.two_factor.disable_totp": "interactive: needs a current code from the user's own device",
    # --- core: settings and the journal's verification are administrator pages
    "jiandu.core.actions.change_setting": "local practice settings: the system administrator's page",
    "jiandu.core.actions.reset_setting": "local practice settings: the system administrator's page",
    "jiandu.core.actions.verify_journal": "journal verification: the audit administrator's page (uploads a checkpoint)",
    "jiandu.core.actions.sign_journal_checkpoint": "journal checkpoint: the audit administrator's page (a download)",
    "jiandu.core.actions.retry_event_handling": "background events: the system administrator's page (behind two-factor login)",
    "jiandu.core.actions.backfill_events": "background events: the system administrator's page (behind two-factor login)",
    "jiandu.core.actions.open_todo": "page state only: marks a 待办 item read when the user opens it from the inbox page",
    "jiandu.dossier.actions.record_export": "journals the dossier page's PDF/xlsx download; the API gives the same file as JSON (dossier_cadre)",
    # --- registry
    "jiandu.registry.actions.cadres.check_cadre_rows": "the import page's preview step (no write)",
    "jiandu.registry.actions.cadres.import_cadres": "workbook import: a page (hostile-file checks, preview)",
    "jiandu.registry.actions.tenures.record_past_tenure": "history import and the demo district; not yet in the API",
    "jiandu.registry.actions.cadres.remove_relative": "family records: not yet in the API",
    # --- appraisals: the cycle's workflow after it is opened is driven from its pages for now
    "jiandu.appraisals.actions.cycles.update_cycle": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.cycles.add_unit": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.cycles.remove_unit": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.cycles.add_cadre": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.cycles.remove_cadre": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.cycles.set_team_report": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.cycles.set_cadre_report": "appraisal workflow (PDF upload): not yet in the API",
    "jiandu.appraisals.actions.cycles.complete_cycle": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.cycles.export_results": "the results page's workbook download",
    "jiandu.appraisals.actions.cycles.record_report_download": "journals a page's PDF download",
    "jiandu.appraisals.actions.disqualifications.record_disqualifying_event": "not yet in the API",
    "jiandu.appraisals.actions.disqualifications.withdraw_disqualifying_event": "not yet in the API",
    "jiandu.appraisals.actions.grades.propose_grades": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.grades.confirm_grades": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.grades.complete_follow_up": "appraisal workflow: not yet in the API",
    "jiandu.appraisals.actions.proposals.take_up_proposal": "not yet in the API",
    "jiandu.appraisals.actions.targets.save_indicators": "not yet in the API",
    "jiandu.appraisals.actions.targets.import_targets": "workbook import: a page",
    "jiandu.appraisals.actions.uses.record_result_use": "not yet in the API",
    # --- ballots: definitions after creation, and paper ballots (printed, entered twice) on pages
    "jiandu.ballots.actions.definitions.update_ballot": "not yet in the API",
    "jiandu.ballots.actions.definitions.update_window": "not yet in the API",
    "jiandu.ballots.actions.definitions.set_rate_display": "not yet in the API",
    "jiandu.ballots.actions.definitions.set_eligibility": "not yet in the API",
    "jiandu.ballots.actions.definitions.set_subject_report": "PDF upload: not yet in the API",
    "jiandu.ballots.actions.definitions.discard_draft": "not yet in the API",
    "jiandu.ballots.actions.codes.void_code_batch": "not yet in the API",
    "jiandu.ballots.actions.codes.issue_paper_ballots": "printed paper ballots: a page",
    "jiandu.ballots.actions.paper.enter_paper_sheet": "paper entry (two-person check): pages",
    "jiandu.ballots.actions.paper.enter_paper_counts": "paper entry (two-person check): pages",
    "jiandu.ballots.actions.paper.enter_paper_post_counts": "paper entry (two-person check): pages",
    "jiandu.ballots.actions.paper.resolve_paper_entry": "paper entry (two-person check): pages",
    "jiandu.ballots.actions.paper.void_paper_entry": "paper entry (two-person check): pages",
    "jiandu.ballots.actions.closing.record_results_download": "journals a page's download",
    # --- oversight: planning a tour and its preparation and stationing, recording a session, holding/cancelling talks and the clue's
    # life have operations; the rest of these workflows is not yet in the API
    "jiandu.oversight.actions.clues.add_member": "joint meeting membership: not yet in the API",
    "jiandu.oversight.actions.clues.remove_member": "joint meeting membership: not yet in the API",
    "jiandu.oversight.actions.clues.record_meeting": "joint meeting minutes (attachments): not yet in the API",
    "jiandu.oversight.actions.dispositions.attach_document": "PDF upload of the decision: not yet in the API",
    "jiandu.oversight.actions.dispositions.lift_suspension": "not yet in the API",
    "jiandu.oversight.actions.duty.plan_duty_reports": "not yet in the API",
    "jiandu.oversight.actions.duty.submit_duty_report": "the cadre's report with its PDF: not yet in the API",
    "jiandu.oversight.actions.duty.create_evaluation_ballot": "not yet in the API",
    "jiandu.oversight.actions.duty.import_evaluation_results": "not yet in the API",
    "jiandu.oversight.actions.duty.record_evaluation": "not yet in the API",
    "jiandu.oversight.actions.duty.record_team_opinion": "not yet in the API",
    "jiandu.oversight.actions.inquiries.update_draft": "not yet in the API",
    "jiandu.oversight.actions.inquiries.record_letter_download": "journals a page's letter download",
    "jiandu.oversight.actions.talks.submit_explanation": "PDF upload: not yet in the API",
    "jiandu.oversight.actions.talks.sign_off_explanation": "not yet in the API",
    "jiandu.oversight.actions.tours.record_finding": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.record_report": "the tour after planning (PDF upload): not yet in the API",
    "jiandu.oversight.actions.tours.give_feedback": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.transfer_finding": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.add_rectification_item": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.start_rectification": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.record_progress": "the tour after planning (attachments): not yet in the API",
    "jiandu.oversight.actions.tours.close_item": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.return_item": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.record_visit": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.record_rectification_report": "the tour after planning (PDF upload): not yet in the API",
    "jiandu.oversight.actions.tours.set_public_summary": "the tour after planning: not yet in the API",
    "jiandu.oversight.actions.tours.close_tour": "the tour after planning: not yet in the API",
    # --- audits
    "jiandu.audits.training_actions.import_participants": "a workbook upload on the session's page; the API adds participants one by one",
    "jiandu.audits.actions.appeals.record_document_download": "journals a page's PDF download (notice, report, decision letters)",
    # --- decisions: the public's messages come through the portal's form (signed challenge, rate limit), not the officials' API
    "jiandu.decisions.log_actions.submit_feedback": "the public portal's form (anonymous, with its challenge and rate limit); the API serves officials",
}


def _action_modules():
    for app in sorted(p for p in APPS.iterdir() if p.is_dir()):
        files = [app / "actions.py"] if (app / "actions.py").exists() else sorted((app / "actions").glob("*.py"))
        # and the actions of an app's other aggregates, in <aggregate>_actions.py (decisions' weekly logs)
        for file in [*files, *sorted(app.glob("*_actions.py"))]:
            if file.name != "__init__.py":
                yield ".".join(file.relative_to(APPS.parent).with_suffix("").parts)


def public_actions() -> dict[str, object]:
    """name → function, for every function of an action module that takes a keyword `actor`."""
    found = {}
    for name in _action_modules():
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != name:
                continue
            actor = inspect.signature(obj).parameters.get("actor")
            if actor is not None and actor.kind == inspect.Parameter.KEYWORD_ONLY:
                found[f"{name}.{attr}"] = obj
    return found


def _imports(tree, package: str) -> dict[str, tuple[str, str | None]]:
    """Local name → (module, attribute or None for the module itself)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
            for alias in node.names:
                names[alias.asname or alias.name] = (base, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name] = (alias.name, None)
    return names


def _resolve(module: str, attr: str | None):
    if attr is None:
        return importlib.import_module(module)
    try:
        return importlib.import_module(f"{module}.{attr}")
    except ImportError:
        return getattr(importlib.import_module(module), attr, None)


def api_references() -> set[object]:
    """The functions the API modules use (by name or as module.attribute)."""
    used = set()
    # api.py, api_<part>.py, or an api package of parts
    for file in sorted([*APPS.glob("*/api*.py"), *APPS.glob("*/api/*.py")]):
        package = ".".join(file.relative_to(APPS.parent).parent.parts)
        tree = ast.parse(file.read_text())
        imports = _imports(tree, package)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imports:
                target = _resolve(*imports[node.value.id])
                if inspect.ismodule(target):
                    used.add(getattr(target, node.attr, None))
            elif isinstance(node, ast.Name) and node.id in imports and imports[node.id][1] is not None:
                used.add(_resolve(*imports[node.id]))
    return used


def test_the_comparison_finds_the_actions_and_the_operations():
    actions = public_actions()
    used = api_references()
    # known pairs, so that the walk cannot silently find nothing
    assert "jiandu.oversight.actions.talks.hold_talk" in actions and actions["jiandu.oversight.actions.talks.hold_talk"] in used
    assert "jiandu.registry.actions.cadres.create_cadre" in actions and actions["jiandu.registry.actions.cadres.create_cadre"] in used
    assert "jiandu.oversight.actions.base.text" not in actions  # a helper, no actor
    assert len(actions) > 100


def test_every_action_has_an_api_operation_or_a_reason():
    actions = public_actions()
    used = api_references()
    missing = sorted(name for name, function in actions.items() if function not in used and name not in NO_OPERATION)
    assert not missing, "Actions without an API operation (add one, or a reason to NO_OPERATION):\n" + "\n".join(missing)
    stale = sorted(name for name in NO_OPERATION if name not in actions or actions[name] in used)
    assert not stale, "NO_OPERATION entries no longer needed:\n" + "\n".join(stale)
