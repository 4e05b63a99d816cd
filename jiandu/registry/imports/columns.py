"""The columns of the registry workbooks (units, cadres, positions, tenures, family members) (shared with the exports, so an exported list reads back as an import), and the import's limits."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from jiandu.core.exports import BOOL, CHOICE, DATE, INT, Column

from ..lrmx.spec import KINSHIP
from ..models import Cadre, LeadershipLevel, Position, Rank, Relative, Tenure, Unit

SAMPLE_ROWS = 10
# An upload waits for its commit at most this long; then the purge job deletes it.
STALE_SECONDS = 24 * 3600
SHOWN_ERRORS = 1000

# --- columns (shared with the exports, so an export of a list reads back as an import) ----------

UNIT_PATH_HELP = gettext_lazy("Unit names from the top separated by /, e.g. 示范区委/组织部; a unique name or short name is enough.")

UNIT_COLUMNS = (
    Column("name", gettext_lazy("Unit name"), required=True, max_length=100, width=24, example="干部监督科"),
    Column(
        "parent",
        gettext_lazy("Parent unit"),
        max_length=500,
        width=30,
        help=gettext_lazy(
            "The unit it belongs to, written as its names from the top separated by /; empty for a top unit. It may be a unit on an earlier row."
        ),
        example="示范区委/组织部",
    ),
    Column("short_name", gettext_lazy("Short name"), max_length=40, width=14),
    Column("kind", pgettext_lazy("spreadsheet column", "Kind"), kind=CHOICE, required=True, choices=Unit.Kind.choices, width=18),
    Column("order", gettext_lazy("Order"), kind=INT, min_value=0, width=8, help=gettext_lazy("Smaller numbers come first under the same parent.")),
)

CADRE_COLUMNS = (
    Column("name", pgettext_lazy("spreadsheet column", "Name"), required=True, max_length=50, width=10, example="张伟明"),
    Column("gender", gettext_lazy("Gender"), kind=CHOICE, required=True, choices=Cadre.Gender.choices, width=6, aliases={"男性": "male", "女性": "female"}),
    Column("ethnicity", gettext_lazy("Ethnicity"), max_length=20, width=8, help=gettext_lazy("Empty means 汉族."), example="汉族"),
    Column("birth_on", gettext_lazy("Birth date"), kind=DATE, required=True, width=12, example="1980-05-17"),
    Column("native_place", gettext_lazy("Native place"), max_length=100, width=14),
    Column(
        "id_number",
        gettext_lazy("ID number"),
        required=True,
        width=21,
        help=gettext_lazy("18 characters (GB 11643), entered as text; must not be registered already nor repeated in the file."),
        example="640202198005170011",
    ),
    Column(
        "political_status",
        gettext_lazy("Political status"),
        kind=CHOICE,
        choices=Cadre.PoliticalStatus.choices,
        width=14,
        aliases={"党员": "cpc", "共产党员": "cpc", "中国共产党党员": "cpc", "预备党员": "probationary", "团员": "league", "民主党派": "democratic_party"},
    ),
    Column(
        "education",
        gettext_lazy("Education"),
        kind=CHOICE,
        choices=Cadre.Education.choices,
        width=10,
        aliases={
            "博士": "doctorate",
            "硕士": "master",
            "研究生": "master",
            "本科": "bachelor",
            "大学": "bachelor",
            "大专": "college",
            "专科": "college",
            "中专": "secondary",
            "高中": "secondary",
        },
    ),
    Column(
        "leadership_level",
        gettext_lazy("Leadership level"),
        kind=CHOICE,
        choices=LeadershipLevel.choices,
        width=14,
        aliases={
            "副科级": "section_deputy",
            "正科级": "section_chief",
            "副处级": "county_deputy",
            "正处级": "county_chief",
            "副厅级": "bureau_deputy",
            "正厅级": "bureau_chief",
        },
    ),
    Column("rank", gettext_lazy("Rank"), kind=CHOICE, choices=Rank.choices, width=14),
    Column("phone", gettext_lazy("Phone"), max_length=20, width=13, help=gettext_lazy("11-digit mobile number, entered as text."), example="13812345678"),
    Column("work_start_on", gettext_lazy("Started work"), kind=DATE, width=12),
    Column("party_join_on", gettext_lazy("Joined the party"), kind=DATE, width=12),
    Column("unit", pgettext_lazy("spreadsheet column", "Unit"), required=True, max_length=500, width=30, help=UNIT_PATH_HELP, example="示范区委/组织部"),
    Column("managed_by_district", gettext_lazy("Managed by the district committee"), kind=BOOL, width=10),
    Column("status", gettext_lazy("Status"), kind=CHOICE, choices=Cadre.Status.choices, width=8, help=gettext_lazy("Empty means serving.")),
)

POSITION_COLUMNS = (
    Column("unit", pgettext_lazy("spreadsheet column", "Unit"), required=True, max_length=500, width=30, help=UNIT_PATH_HELP, example="示范区委/组织部"),
    Column("title", pgettext_lazy("spreadsheet column", "Title"), required=True, max_length=100, width=16, example="部长"),
    Column(
        "kind",
        pgettext_lazy("spreadsheet column", "Kind"),
        kind=CHOICE,
        choices=Position.Kind.choices,
        width=10,
        help=gettext_lazy("Empty means leading."),
        aliases={"领导": "leading", "领导职务": "leading", "职级": "non_leading"},
    ),
    Column(
        "level",
        gettext_lazy("Level"),
        kind=CHOICE,
        choices=LeadershipLevel.choices,
        width=14,
        aliases={
            "副科级": "section_deputy",
            "正科级": "section_chief",
            "副处级": "county_deputy",
            "正处级": "county_chief",
            "副厅级": "bureau_deputy",
            "正厅级": "bureau_chief",
        },
    ),
    Column("is_principal", gettext_lazy("Principal (一把手)"), kind=BOOL, width=10),
    Column("has_financial_authority", gettext_lazy("Financial authority"), kind=BOOL, width=10),
    Column("headcount", gettext_lazy("Headcount"), kind=INT, min_value=1, width=8, help=gettext_lazy("Empty means 1.")),
    Column("portfolio", gettext_lazy("Portfolio"), max_length=2000, width=30),
    Column("public_contact", gettext_lazy("Public contact"), max_length=100, width=16),
    Column("order", gettext_lazy("Order"), kind=INT, min_value=0, width=8),
)

TENURE_COLUMNS = (
    Column("id_number", gettext_lazy("ID number"), required=True, width=21, help=gettext_lazy("Identifies the cadre, who must be registered already.")),
    Column(
        "name",
        pgettext_lazy("spreadsheet column", "Name"),
        max_length=50,
        width=10,
        help=gettext_lazy("Optional check: must be the name registered with the ID number."),
    ),
    Column("unit", pgettext_lazy("spreadsheet column", "Unit"), required=True, max_length=500, width=30, help=UNIT_PATH_HELP),
    Column(
        "position",
        pgettext_lazy("spreadsheet column", "Position"),
        required=True,
        max_length=100,
        width=16,
        help=gettext_lazy("The title of an existing position of that unit."),
    ),
    Column("started_on", gettext_lazy("Start date"), kind=DATE, required=True, width=12),
    Column(
        "start_method", gettext_lazy("How it began"), kind=CHOICE, choices=Tenure.StartMethod.choices, width=12, help=gettext_lazy("Empty means appointment.")
    ),
    Column("is_acting", gettext_lazy("Acting / presiding"), kind=BOOL, width=10),
    Column(
        "ended_on",
        gettext_lazy("End date"),
        kind=DATE,
        width=12,
        help=gettext_lazy("Empty for a current tenure; a date for a past one, or to end the same current tenure (a departure, as on the form)."),
    ),
    Column("end_reason", gettext_lazy("End reason"), kind=CHOICE, choices=Tenure.EndReason.choices, width=12, help=gettext_lazy("Required with an end date.")),
    Column("note", gettext_lazy("Note"), max_length=200, width=20),
)

RELATIVE_COLUMNS = (
    Column("id_number", gettext_lazy("ID number"), required=True, width=21, help=gettext_lazy("The cadre's ID number; the cadre must be registered already.")),
    Column(
        "cadre_name",
        gettext_lazy("Cadre"),
        max_length=50,
        width=10,
        help=gettext_lazy("Optional check: must be the name registered with the ID number."),
    ),
    Column("relation", gettext_lazy("Relation"), kind=CHOICE, required=True, choices=Relative.Relation.choices, width=10, aliases=KINSHIP, example="配偶"),
    Column("name", gettext_lazy("Family member's name"), required=True, max_length=50, width=10),
    Column("birth_on", gettext_lazy("Birth date"), kind=DATE, width=12),
    Column(
        "political_status",
        gettext_lazy("Political status"),
        max_length=20,
        width=12,
        help=gettext_lazy("As written on the appointment form, e.g. 中共党员, 群众."),
    ),
    Column("work_unit", gettext_lazy("Work unit"), max_length=100, width=24),
    Column("post", gettext_lazy("Post"), max_length=100, width=14),
    Column(
        "emigrated_on",
        gettext_lazy("Emigrated on"),
        kind=DATE,
        width=12,
        help=gettext_lazy(
            "The day the family member settled abroad (移居国（境）外), if they did; it feeds the selection rule of 2019 条例 art. 24 (5). Empty: not emigrated."
        ),
    ),
)
