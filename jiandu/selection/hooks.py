"""What other apps give selection, through providers they register (selection imports none of them;
layering.toml). 个人有关事项 (jiandu/matters, above selection) registers its targeted checks in
`MattersConfig.ready()`: selection asks for a check (重点查核) when a cadre is listed as an
inspection subject and waits for its result before the decision (凡提四必, 《关于防止干部"带病
提拔"的意见》2016). With no provider registered the check cannot be had, and the gate says so.

    hooks.request_targeted_check(actor=…, cadre=…, reason=…)  # opens one, or keeps the open one
    state = hooks.targeted_check_state(cadre)                   # TargetedCheckState or None

The state carries only what selection may show (issue #18 Sensitivity: "check result"): whether
the check is open or concluded, on which day, whether it found concealment (隐瞒不报, 处理办法
art. 4) or omissions (漏报, art. 3), and the handling's label — never a reported value."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TargetedCheckState:
    concluded: bool
    opened_on: dt.date
    concluded_on: dt.date | None = None
    concealment: bool = False  # a 隐瞒不报 finding (处理办法 art. 4)
    omission: bool = False  # a 漏报 finding (处理办法 art. 3)
    disqualifying: bool = False  # the handling bars the cadre (取消考察对象资格, 调离, 降职, 免职)
    handling: str = ""  # the handling's readable label


@dataclass(frozen=True)
class PersonalMattersChecks:
    request: Callable[..., object]  # request(*, actor, cadre, reason) -> opened or already open
    state: Callable[[object], TargetedCheckState | None]  # the latest targeted check of the cadre
    demo_conclude: Callable[..., None] | None = None  # demo data only: conclude the open check, consistent


_provider: PersonalMattersChecks | None = None


def register_personal_matters_checks(provider: PersonalMattersChecks) -> PersonalMattersChecks:
    global _provider
    _provider = provider
    return provider


def has_personal_matters_checks() -> bool:
    return _provider is not None


def request_targeted_check(*, actor, cadre, reason: str) -> bool:
    """Ask for the targeted check in the caller's transaction; False when no app provides it."""
    if _provider is None:
        return False
    _provider.request(actor=actor, cadre=cadre, reason=reason)
    return True


def targeted_check_state(cadre) -> TargetedCheckState | None:
    return _provider.state(cadre) if _provider is not None else None


def conclude_check_for_demo(*, actor, cadre) -> bool:
    """Selection's demo data only: the providing app concludes the cadre's open targeted check
    through its own actions (every department asked replies with nothing on record)."""
    if _provider is None or _provider.demo_conclude is None:
        return False
    _provider.demo_conclude(actor=actor, cadre=cadre)
    return True
