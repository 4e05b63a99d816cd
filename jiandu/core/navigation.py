"""Navigation entries and the home page's "what you can do here" lines, registered by each app in
its `AppConfig.ready()` (the same style as dashboard cards, jobs, settings and event consumers):

    from jiandu.core.navigation import register_nav, register_work
    register_nav(_("Daily supervision"), "oversight:index", "oversight.view", section=PILLAR, order=50)
    register_work("oversight.manage", _("Record talks …"), "oversight:index", order=10)

The shell (jiandu.web) shows an entry to users holding its permission. An entry whose URL does
not resolve yet (its pages have not landed) is shown as coming, never as a dead link."""

from dataclasses import dataclass

PILLAR = "pillar"
TOOL = "tool"


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str
    section: str  # PILLAR (the five focuses of supervision) or TOOL
    order: int


@dataclass(frozen=True)
class WorkEntry:
    permission: str
    text: str
    url_name: str
    order: int
    unless: str = ""  # not shown to a user who also holds this permission (its line says more)


_nav: dict[tuple[str, str, str], NavEntry] = {}
_work: dict[tuple[str, str], WorkEntry] = {}


def register_nav(label, url_name: str, permission: str, *, section: str, order: int) -> NavEntry:
    if section not in (PILLAR, TOOL):
        raise ValueError(f"unknown navigation section {section!r}")
    entry = NavEntry(label, url_name, permission, section, order)
    _nav[(section, url_name, permission)] = entry  # registering twice (ready() run again) keeps one
    return entry


def register_work(permission: str, text, url_name: str, *, order: int, unless: str = "") -> WorkEntry:
    entry = WorkEntry(permission, text, url_name, order, unless)
    _work[(permission, url_name)] = entry
    return entry


def nav_entries(section: str) -> list[NavEntry]:
    return sorted((e for e in _nav.values() if e.section == section), key=lambda e: e.order)


def work_entries() -> list[WorkEntry]:
    return sorted(_work.values(), key=lambda e: e.order)
