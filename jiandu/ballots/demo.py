"""Demo data: one open democratic evaluation (with part of its ballots cast and a few codes left
to try on /vote/) and one closed evaluation of the selection work with results to look at.
Everything goes through the actions, like real use. Independent of appraisals."""

from jiandu.accounts import access

from . import actions, structure

MEMBERS = [("王建国", "局长"), ("李晓红", "副局长"), ("张伟明", "副局长"), ("陈静", "纪检组长")]
APPOINTED = [("刘洋", "区财政局副局长"), ("赵敏", "区教育局副局长"), ("孙浩", "某街道办事处副主任")]


def _say(ctx, text: str) -> None:
    out = getattr(ctx, "stdout", None)
    if out is not None and hasattr(out, "write"):
        out.write(text + "\n")


def _pick_unit(ctx):
    units = sorted(ctx.units.values(), key=lambda u: (getattr(u, "depth", 0) != 1, u.path))
    return units[0] if units else None


def _pick_officer(ctx, unit):
    for user in ctx.users.values():
        if access.can(user, "ballots.manage", unit.path):
            return user
    return None


def _cast(ballot, codes, rng, weights_by_question) -> None:
    shape = structure.load(ballot)
    for code in codes:
        group = actions.check_code(code, journal_rejections=False).group
        answers = {}
        for item in shape.layouts[group.pk].items:
            options = shape.options[item.question_id]
            weights = weights_by_question(options)
            answers[(item.subject_id, item.question_id)] = rng.choices(options, weights=weights)[0].pk
        actions.submit_ballot(code=code, answers=answers)


def _grade_weights(options):
    # Mostly favourable, as real evaluations tend to be; "don't know" now and then.
    base = [55, 35, 6, 2, 2, 1, 1]
    return base[: len(options)]


def load(ctx):
    unit = _pick_unit(ctx)
    if unit is None:
        return
    officer = _pick_officer(ctx, unit)
    if officer is None:
        return
    rng = ctx.rng
    name = unit.name

    spec = {
        "title": f"2026年度{name}领导班子和领导干部民主测评",
        "description": "请根据平时了解，独立、客观、公正地作出评价。测评不记名，每个测评码只能使用一次。",
        "double_entry": "two_passes",
        "sections": [
            {"title": "领导班子", "questions": "team_overall", "subjects": [{"key": "team", "kind": "team", "label": f"{name}领导班子"}]},
            {
                "title": "班子成员",
                "questions": "five_dimensions",
                "subjects": [
                    {"key": f"m{i}", "kind": "cadre", "label": person, "note": post, "report_text": f"{person}同志{post}年度述职述廉报告（示例）。"}
                    for i, (person, post) in enumerate(MEMBERS, start=1)
                ],
            },
        ],
        "groups": [
            {"code": "leaders", "name": "区领导", "weight": "0.3", "headcount": 6},
            {"code": "staff", "name": "本单位干部职工", "weight": "0.5", "headcount": 40},
            {"code": "public", "name": "服务对象代表", "weight": "0.2", "headcount": 12, "rates": ["team"]},
        ],
    }
    ballot = actions.create_ballot(actor=officer, unit=unit, spec=spec)
    ballot = actions.open_ballot(actor=officer, ballot=ballot)
    spare = []
    for group in ballot.groups.all():
        _batch, codes = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=group.headcount)
        cast = int(len(codes) * 0.6)
        _cast(ballot, codes[:cast], rng, _grade_weights)
        spare += codes[cast : cast + 1]
    _say(ctx, f"ballots: open evaluation “{ballot.title}”; try voting at /vote/ with " + ", ".join(spare))

    survey = {
        "title": "2025年度选人用人工作“一报告两评议”",
        "double_entry": "off",
        "sections": [
            # Like the seed's report: the work's rates to two places, the cadres' to one.
            {
                "title": "选人用人工作",
                "questions": "satisfaction",
                "subjects": [{"key": "work", "kind": "item", "label": "全区选人用人工作"}],
                "rate_places": 2,
            },
            {
                "title": "新选拔任用干部",
                "questions": "satisfaction",
                "rate_places": 1,
                "subjects": [{"key": f"a{i}", "kind": "cadre", "label": person, "note": post} for i, (person, post) in enumerate(APPOINTED, start=1)],
            },
        ],
        "groups": [{"code": "committee", "name": "区委全会参会人员", "weight": "1", "headcount": 45}],
    }
    closed = actions.create_ballot(actor=officer, unit=unit, spec=survey)
    closed = actions.open_ballot(actor=officer, ballot=closed)
    group = closed.groups.get()
    _batch, codes = actions.generate_codes(actor=officer, ballot=closed, group=group, count=40)
    _cast(closed, codes[:38], rng, lambda options: [80, 15, 3, 2][: len(options)])
    actions.issue_paper_ballots(actor=officer, ballot=closed, group=group, count=5)
    actions.close_ballot(actor=officer, ballot=closed)
