"""Demo: the district's early warnings as the nightly scan would leave them (overdue inquiries,
departures without their audit or handover, posts held beyond two terms)."""


def load(ctx):
    from .actions import scan_alerts

    result = scan_alerts(actor=None, today=ctx.today)
    ctx.log(f"dossier: {result['raised']} early warnings raised")
