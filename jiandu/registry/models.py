"""Registry: units (a tree with materialised paths), cadres, relatives, positions and tenures.

Rows change only through registry.actions. The leadership team of a unit is a query
(queries.leadership_team), never a copy.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PATH_STEP = 6  # digits of one level in Unit.path: "000001/000007/"


class Unit(models.Model):
    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("party committee")
        PEOPLES_CONGRESS = "peoples_congress", _("people's congress")
        GOVERNMENT = "government", _("government")
        CPPCC = "cppcc", _("CPPCC")
        DISCIPLINE = "discipline", _("discipline inspection commission")
        PARTY_DEPARTMENT = "party_department", _("party working department")
        GOVERNMENT_DEPARTMENT = "government_department", _("government department")
        STREET = "street", _("street / township")
        PUBLIC_INSTITUTION = "public_institution", _("public institution")
        SOE = "soe", _("state-owned enterprise")
        SCHOOL = "school", _("school")
        COURT = "court", _("court")
        PROCURATORATE = "procuratorate", _("procuratorate")
        MASS_ORGANISATION = "mass_organisation", _("mass organisation")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    order = models.PositiveIntegerField(_("order"), default=0)
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(pgettext_lazy("in use", "active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent")]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name


class LeadershipLevel(models.TextChoices):
    """领导职务层次 (Civil Servant Law 2018 art. 18; 公务员职务与职级并行规定 2019). A leading post's
    level and the level of the leading post a cadre holds; separate from the rank (职级)."""

    SECTION_DEPUTY = "section_deputy", _("deputy township/section level (乡科级副职)")
    SECTION_CHIEF = "section_chief", _("township/section level (乡科级正职)")
    COUNTY_DEPUTY = "county_deputy", _("deputy county/division level (县处级副职)")
    COUNTY_CHIEF = "county_chief", _("county/division level (县处级正职)")
    BUREAU_DEPUTY = "bureau_deputy", _("deputy department/bureau level (厅局级副职)")
    BUREAU_CHIEF = "bureau_chief", _("department/bureau level (厅局级正职)")


class Rank(models.TextChoices):
    """职级 (公务员职务与职级并行规定 2019, art. 8: comprehensive management category), highest
    first, plus staff who are not civil servants (public institutions, state-owned enterprises).
    The abolished 非领导职务 (调研员, 主任科员 … before 2019) have no place here."""

    INSPECTOR_1 = "inspector_1", _("first-grade inspector (一级巡视员)")
    INSPECTOR_2 = "inspector_2", _("second-grade inspector (二级巡视员)")
    RESEARCHER_1 = "researcher_1", _("first-grade researcher (一级调研员)")
    RESEARCHER_2 = "researcher_2", _("second-grade researcher (二级调研员)")
    RESEARCHER_3 = "researcher_3", _("third-grade researcher (三级调研员)")
    RESEARCHER_4 = "researcher_4", _("fourth-grade researcher (四级调研员)")
    PRINCIPAL_STAFF_1 = "principal_staff_1", _("first-grade principal staff (一级主任科员)")
    PRINCIPAL_STAFF_2 = "principal_staff_2", _("second-grade principal staff (二级主任科员)")
    PRINCIPAL_STAFF_3 = "principal_staff_3", _("third-grade principal staff (三级主任科员)")
    PRINCIPAL_STAFF_4 = "principal_staff_4", _("fourth-grade principal staff (四级主任科员)")
    CLERK_1 = "clerk_1", _("first-grade clerk (一级科员)")
    CLERK_2 = "clerk_2", _("second-grade clerk (二级科员)")
    NOT_CIVIL_SERVANT = "not_civil_servant", _("not a civil servant (非公务员)")


# Ranks from highest to lowest, for sorting by rank.
RANK_ORDER = {value: i for i, value in enumerate(Rank.values)}


class Cadre(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    class PoliticalStatus(models.TextChoices):
        CPC = "cpc", _("CPC member")
        PROBATIONARY = "probationary", _("probationary CPC member")
        LEAGUE = "league", _("Youth League member")
        DEMOCRATIC_PARTY = "democratic_party", _("democratic party member")
        NONE = "none", _("masses")

    class Education(models.TextChoices):
        DOCTORATE = "doctorate", _("doctorate")
        MASTER = "master", _("master's degree")
        BACHELOR = "bachelor", _("bachelor's degree")
        COLLEGE = "college", _("college")
        SECONDARY = "secondary", _("secondary school")

    class Status(models.TextChoices):
        SERVING = "serving", _("serving")
        RETIRED = "retired", _("retired")
        LEFT = "left", _("left the system")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_pinyin = models.CharField(max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(max_length=20, blank=True, db_index=True)
    # Sort keys of the name (registry.names): pinyin with surname readings, and 姓氏笔画.
    sort_pinyin = models.CharField(max_length=400, blank=True, db_index=True)
    sort_strokes = models.CharField(max_length=300, blank=True, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_on = models.DateField(_("birth date"))
    native_place = models.CharField(_("native place"), max_length=100, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    political_status = models.CharField(_("political status"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.CPC)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, default=Education.BACHELOR)
    leadership_level = models.CharField(_("leadership level"), max_length=32, choices=LeadershipLevel.choices, blank=True)
    rank = models.CharField(_("rank"), max_length=32, choices=Rank.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    work_start_on = models.DateField(_("started work"), null=True, blank=True)
    party_join_on = models.DateField(_("joined the party"), null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cadres")
    managed_by_district = models.BooleanField(_("managed by the district committee"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SERVING)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_pinyin", "id"]
        verbose_name = _("cadre")
        indexes = [models.Index(fields=["unit", "status"], name="cadre_unit_status_idx")]

    def __str__(self):
        return self.name


class Relative(models.Model):
    """A family member (家庭成员及主要社会关系), for the avoidance rules (DOMAIN.md §2)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("spouse")
        FATHER = "father", _("father")
        MOTHER = "mother", _("mother")
        SON = "son", _("son")
        DAUGHTER = "daughter", _("daughter")
        BROTHER = "brother", _("brother")
        SISTER = "sister", _("sister")
        FATHER_IN_LAW = "father_in_law", _("father-in-law")
        MOTHER_IN_LAW = "mother_in_law", _("mother-in-law")
        SON_IN_LAW = "son_in_law", _("son-in-law")
        DAUGHTER_IN_LAW = "daughter_in_law", _("daughter-in-law")
        OTHER = "other", _("other close relative")

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="relatives")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    birth_on = models.DateField(_("birth date"), null=True, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    political_status = models.CharField(_("political status"), max_length=20, blank=True)  # 政治面貌 as written on the form
    # 移居国（境）外: the day the relative emigrated (settled abroad), for 2019 条例 art. 24 (selection).
    emigrated_on = models.DateField(_("emigrated on"), null=True, blank=True)
    is_removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class Position(models.Model):
    class Kind(models.TextChoices):
        LEADING = "leading", _("leading")
        NON_LEADING = "non_leading", _("rank post (职级岗位)")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LEADING)
    is_principal = models.BooleanField(_("principal (一把手)"), default=False)
    has_financial_authority = models.BooleanField(_("financial authority"), default=False)
    level = models.CharField(_("leadership level"), max_length=32, choices=LeadershipLevel.choices, blank=True, default=LeadershipLevel.SECTION_CHIEF)
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    portfolio = models.TextField(_("portfolio"), blank=True)
    public_contact = models.CharField(_("public contact"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("in use", "active"), default=True)

    class Meta:
        ordering = ["unit__path", "order", "id"]
        verbose_name = _("position")

    def __str__(self):
        return f"{self.unit.label} {self.title}"


class Tenure(models.Model):
    class StartMethod(models.TextChoices):
        ELECTION = "election", _("election")
        APPOINTMENT = "appointment", _("appointment")
        TRANSFER = "transfer", _("transfer")
        COMPETITION = "competition", _("competitive selection")
        SECONDMENT = "secondment", _("secondment")

    class EndReason(models.TextChoices):
        TRANSFER = "transfer", _("transfer")
        PROMOTION = "promotion", _("promotion")
        REMOVAL = "removal", _("removal")
        RETIREMENT = "retirement", _("retirement")
        RESIGNATION = "resignation", _("resignation")
        TERM_END = "term_end", _("end of term")
        DISMISSAL = "dismissal", _("dismissal")
        DEATH = "death", _("death")

    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="tenures")
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="tenures")
    started_on = models.DateField(_("start date"))
    start_method = models.CharField(_("how it began"), max_length=16, choices=StartMethod.choices, default=StartMethod.APPOINTMENT)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=16, choices=EndReason.choices, blank=True)
    is_acting = models.BooleanField(_("acting / presiding"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("tenure")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name="tenure_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["position", "ended_on"], name="tenure_position_current_idx"),
            # The tenure list's default order (newest first): its first page without sorting them all.
            models.Index(fields=["-started_on", "id"], name="tenure_started_idx"),
        ]

    def __str__(self):
        return f"{self.cadre} — {self.position}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def is_departure(self) -> bool:
        """Ending this tenure is a departure (principal or financial authority): audit + handover follow."""
        return self.position.is_principal or self.position.has_financial_authority


class CadreRecord(models.Model):
    """The rest of the 干部任免审批表 (issue 12 part 1): one row per cadre, created on first write.

    Text fields hold what the form prints; `current_post` overrides the post computed from tenures.
    """

    cadre = models.OneToOneField(Cadre, on_delete=models.PROTECT, related_name="record")
    birthplace = models.CharField(_("birthplace"), max_length=100, blank=True)
    health = models.CharField(_("health"), max_length=50, blank=True)
    professional_title = models.CharField(_("professional and technical post"), max_length=100, blank=True)
    specialty = models.CharField(_("expertise"), max_length=200, blank=True)
    fulltime_education = models.CharField(_("full-time education"), max_length=50, blank=True)
    fulltime_degree = models.CharField(_("full-time degree"), max_length=50, blank=True)
    fulltime_school = models.CharField(_("full-time school and major"), max_length=200, blank=True)
    fulltime_degree_school = models.CharField(_("full-time degree school and major"), max_length=200, blank=True)
    parttime_education = models.CharField(_("in-service education"), max_length=50, blank=True)
    parttime_degree = models.CharField(_("in-service degree"), max_length=50, blank=True)
    parttime_school = models.CharField(_("in-service school and major"), max_length=200, blank=True)
    parttime_degree_school = models.CharField(_("in-service degree school and major"), max_length=200, blank=True)
    current_post = models.CharField(_("current post (as printed)"), max_length=200, blank=True)
    proposed_post = models.CharField(_("proposed post"), max_length=200, blank=True)
    proposed_removal = models.CharField(_("proposed removal"), max_length=200, blank=True)
    rewards = models.TextField(_("rewards and penalties"), blank=True)
    appraisals = models.TextField(_("annual appraisal results"), blank=True)
    reason = models.TextField(_("reason for appointment or removal"), blank=True)
    reporting_unit = models.CharField(_("reporting unit"), max_length=100, blank=True)
    age_on = models.DateField(_("age counted on"), null=True, blank=True)
    filled_on = models.DateField(_("form filled on"), null=True, blank=True)
    filled_by = models.CharField(_("form filled by"), max_length=50, blank=True)
    photo_data = models.BinaryField(_("photo"), blank=True, default=b"")

    class Meta:
        verbose_name = _("appointment form record")


class ResumeLine(models.Model):
    """One line of the 简历: "2001.09--2005.07  某某大学某某专业学习" (months; end empty = to date)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="resume_lines")
    order = models.PositiveSmallIntegerField(default=0)
    start = models.CharField(_("from"), max_length=7, blank=True)  # "2001.09"
    end = models.CharField(_("to"), max_length=7, blank=True)
    text = models.CharField(_("resume text"), max_length=500)

    class Meta:
        ordering = ["order", "id"]
