"""Facts that higher apps give the registry (layering.toml: the registry imports no pillar). A pillar
registers its provider in its AppConfig.ready(); with none registered the registry does without."""

from collections.abc import Callable

# provider(cadre, years) -> [(year, grade code), …], newest first, at most `years` rows.
AppraisalResults = Callable[[object, int], list[tuple[int, str]]]

_appraisal_results: list[AppraisalResults] = []


def register_appraisal_results(provider: AppraisalResults) -> AppraisalResults:
    """年度考核结果 for the 任免审批表 (appraisals registers the confirmed annual grades)."""
    if provider not in _appraisal_results:
        _appraisal_results.append(provider)
    return provider


def appraisal_results(cadre, years: int) -> list[tuple[int, str]]:
    for provider in _appraisal_results:
        rows = provider(cadre, years)
        if rows:
            return rows[:years]
    return []


# provider(cadre) -> [Blocker, …]: why the cadre's next post may not be recorded yet (a personnel
# move held by a higher app, e.g. audits' unsigned departure handover). Empty: no hold.
MoveHold = Callable[[object], list]

_move_holds: list[MoveHold] = []


def register_move_hold(provider: MoveHold) -> MoveHold:
    """A hold on recording a new tenure of a cadre (registry.actions.appoint refuses with it)."""
    if provider not in _move_holds:
        _move_holds.append(provider)
    return provider


def move_holds(cadre) -> list:
    """Every hold on the cadre's next post (core.blockers.Blocker), from every provider."""
    return [blocker for provider in _move_holds for blocker in provider(cadre)]


# provider(user, tenures) -> {tenure id: [(url, label), …]}: pages of a higher app about how a tenure
# came about (selection's trace-back report of the appointment), only those `user` may open.
TenureLinks = Callable[[object, list], dict[int, list[tuple[str, str]]]]

_tenure_links: list[TenureLinks] = []


def register_tenure_links(provider: TenureLinks) -> TenureLinks:
    """Links shown beside a tenure on the cadre's page (selection registers its trace-back report)."""
    if provider not in _tenure_links:
        _tenure_links.append(provider)
    return provider


def tenure_links(user, tenures) -> dict[int, list[tuple[str, str]]]:
    links: dict[int, list[tuple[str, str]]] = {}
    for provider in _tenure_links:
        for tenure_id, rows in provider(user, list(tenures)).items():
            links.setdefault(tenure_id, []).extend(rows)
    return links
