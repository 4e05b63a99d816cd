"""Security issue #8.2: `oversight.clues` is no longer implied by a business role; the clue officer
of a joint-meeting department is a role held on that department's unit (accounts.Role.CLUE_OFFICER).

Existing holders keep what they could sensibly do before, no more:
- an organisation, discipline, audit or vetting officer whose assignment is on a member department's
  own unit becomes that department's clue officer;
- in a demo database (load_demo), the district-wide demo accounts become the clue officers that
  load_demo now appoints (组织部, 区纪委监委, 审计局, 信访局);
- any other district-wide holder gets nothing: which department they speak for is not known, so the
  security administrator appoints the clue officers (until then the organisation-department head
  still reads every clue, and nobody else acts on them).

Granted rows carry no `granted_by_id` (the migration, not a person). The reverse migration removes
the clue-officer rows again.
"""

from django.db import migrations
from django.utils import timezone

FORMER_HOLDERS = ("org_officer", "discipline_officer", "audit_officer", "vetting_officer")
DEMO_CLUE_OFFICERS = {
    "demo_org_officer": "组织部",
    "demo_discipline": "区纪委监委",
    "demo_audit": "审计局",
    "demo_vetting": "信访局",
}


def grant(apps, schema_editor):
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    JointMember = apps.get_model("oversight", "JointMember")
    Unit = apps.get_model("registry", "Unit")
    members = {unit.pk: unit for unit in Unit.objects.filter(pk__in=JointMember.objects.filter(is_active=True).values("unit_id"))}
    wanted = set()  # (user id, unit id)
    for row in RoleAssignment.objects.filter(role__in=FORMER_HOLDERS, revoked_at__isnull=True).select_related("user"):
        if row.unit_path and row.unit_id in members and members[row.unit_id].path == row.unit_path:
            wanted.add((row.user_id, row.unit_id))
        elif not row.unit_path and row.user.username in DEMO_CLUE_OFFICERS:
            unit = Unit.objects.filter(short_name=DEMO_CLUE_OFFICERS[row.user.username]).first()
            if unit is not None:
                wanted.add((row.user_id, unit.pk))
    now = timezone.now()
    for user_id, unit_id in sorted(wanted):
        unit = Unit.objects.get(pk=unit_id)
        if not RoleAssignment.objects.filter(user_id=user_id, role="clue_officer", unit_path=unit.path, revoked_at__isnull=True).exists():
            RoleAssignment.objects.create(
                user_id=user_id, role="clue_officer", unit_id=unit.pk, unit_path=unit.path, include_descendants=False, granted_at=now
            )


def ungrant(apps, schema_editor):
    apps.get_model("accounts", "RoleAssignment").objects.filter(role="clue_officer", granted_by_id__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_clues_clue_officer"),
        ("registry", "0001_initial"),
        ("oversight", "0003_rules_influence_bars"),
    ]

    operations = [migrations.RunPython(grant, ungrant)]
