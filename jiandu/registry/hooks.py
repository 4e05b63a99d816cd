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
