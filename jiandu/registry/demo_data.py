"""Data of the fictional demo district 示范区, used by `manage.py load_demo`.

Everything here is invented: the district, its units, the people (generated names), their ID
numbers (valid by GB 11643 but built from a generic region code and a counter) and the
telephone numbers. The module name starts with an underscore so Django does not take it for a
management command.
"""

from dataclasses import dataclass, field

# --- people --------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
# The first surnames are far more common; the generator weights them accordingly.
MALE_GIVEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健俊峰建国志文海东晓亮林宏永卫新春成庆德正立博浩宇轩振学忠继红兵利清世光"
FEMALE_GIVEN = "芳娜敏静丽艳娟霞燕玲婷雪琳洁丹萍红梅莉慧颖晶倩秀兰英玉凤珍佳蕾欣悦瑶璐宁娅媛菲婧雯春晓岚"

ETHNICITIES = (("汉族", 88), ("回族", 9), ("满族", 2), ("蒙古族", 1))

# (region code of the ID number, native place): the ID number's first six digits match it.
NATIVE_PLACES = (
    ("640202", "宁夏石嘴山"),
    ("640205", "宁夏石嘴山"),
    ("640221", "宁夏平罗"),
    ("640104", "宁夏银川"),
    ("640302", "宁夏吴忠"),
    ("640502", "宁夏中卫"),
    ("640402", "宁夏固原"),
    ("620502", "甘肃天水"),
    ("610802", "陕西榆林"),
    ("150302", "内蒙古乌海"),
    ("371702", "山东菏泽"),
    ("411402", "河南商丘"),
    ("130402", "河北邯郸"),
)

RELATIVE_WORKPLACES = (
    ("示范区第一中学", "教师"),
    ("示范区人民医院", "医生"),
    ("示范区财政局", "科员"),
    ("示范区审计局", "科员"),
    ("示范区城市建设投资集团有限公司", "职员"),
    ("示范区东园街道办事处", "科员"),
    ("某私营企业", "经理"),
    ("某银行示范区支行", "职员"),
    ("示范区市场监督管理局", "科员"),
    ("", "退休"),
)


# --- units ---------------------------------------------------------------------------------


@dataclass
class LeaderSpec:
    """One leading post of a district body, with its own portfolio (分管工作)."""

    title: str
    portfolio: str
    is_principal: bool = False
    has_financial_authority: bool = False
    level: str = "county_deputy"


@dataclass
class UnitSpec:
    key: str  # short name, unique in the district; `ctx.units[key]`
    name: str
    kind: str
    parent: str | None
    layout: str  # which post layout (see registry.demo.Builder.positions_for)
    areas: tuple[str, ...] = ()  # business areas shared among the deputies' portfolios
    staff: int = 4  # cadres without a leading post
    in_small: bool = False  # part of the reduced district (--small)
    leaders: tuple[LeaderSpec, ...] = ()
    titles: tuple[str, str] = ("局长", "副局长")
    deputies: int = 2
    phone: str = "00"  # two digits of the unit's fictional office number
    children: list = field(default_factory=list)


ROOT = "示范区"

DISTRICT_BODIES = [
    UnitSpec(
        "区委",
        "中共示范区委员会",
        "party_committee",
        ROOT,
        "district",
        staff=3,
        in_small=True,
        phone="01",
        leaders=(
            LeaderSpec("区委书记", "主持区委全面工作。", is_principal=True, level="county_chief"),
            LeaderSpec("区委副书记", "协助书记处理区委日常工作；分管党的建设、组织、机构编制、政法维稳、乡村振兴工作。"),
            LeaderSpec("区委常委", "分管宣传、意识形态、精神文明建设、文化旅游工作；联系区委宣传部。"),
            LeaderSpec("区委常委", "分管统一战线、民族宗教、工商联工作；联系区委统战部。"),
            LeaderSpec("区委常委", "分管区委办公室、区直机关党建、保密、机要工作。"),
        ),
    ),
    UnitSpec(
        "区人大",
        "示范区人民代表大会常务委员会",
        "peoples_congress",
        ROOT,
        "district",
        staff=3,
        phone="02",
        leaders=(
            LeaderSpec("区人大常委会主任", "主持区人大常委会全面工作。", is_principal=True, level="county_chief"),
            LeaderSpec("区人大常委会副主任", "分管法制、监察司法、代表联络工作。"),
            LeaderSpec("区人大常委会副主任", "分管财政经济、预算审查监督、城乡建设环境保护工作。"),
        ),
    ),
    UnitSpec(
        "区政府",
        "示范区人民政府",
        "government",
        ROOT,
        "district",
        staff=3,
        in_small=True,
        phone="03",
        leaders=(
            LeaderSpec("区长", "主持区政府全面工作；负责审计工作。", is_principal=True, has_financial_authority=True, level="county_chief"),
            LeaderSpec(
                "常务副区长",
                "负责区政府常务工作；分管发展改革、财政、统计、金融、国有资产、市场监管工作。",
                has_financial_authority=True,
            ),
            LeaderSpec("副区长", "分管教育、卫生健康、人力资源和社会保障、民政、退役军人事务工作。"),
            LeaderSpec("副区长", "分管住房城乡建设、交通运输、自然资源、生态环境、应急管理工作。"),
            LeaderSpec("副区长", "分管农业农村、水利、商务、文化旅游、信访工作。"),
        ),
    ),
    UnitSpec(
        "区政协",
        "政协示范区委员会",
        "cppcc",
        ROOT,
        "district",
        staff=3,
        phone="04",
        leaders=(
            LeaderSpec("区政协主席", "主持区政协全面工作。", is_principal=True, level="county_chief"),
            LeaderSpec("区政协副主席", "分管提案、经济、人口资源环境工作。"),
            LeaderSpec("区政协副主席", "分管文史、学习、社会法制、民族宗教工作。"),
        ),
    ),
    UnitSpec(
        "区纪委监委",
        "示范区纪律检查委员会（示范区监察委员会）",
        "discipline",
        ROOT,
        "district",
        staff=5,
        in_small=True,  # the vetting reply of 纪检监察机关 is one of 凡提四必 (selection's demo promotion)
        phone="05",
        leaders=(
            LeaderSpec("区纪委书记、区监委主任", "主持区纪委监委全面工作。", is_principal=True, level="county_deputy"),
            LeaderSpec("区纪委副书记、区监委副主任", "分管党风政风监督、信访举报、案件监督管理工作。", level="section_chief"),
            LeaderSpec("区纪委副书记、区监委副主任", "分管审查调查、案件审理、派驻机构工作。", level="section_chief"),
        ),
    ),
]


def _dept(key, name, kind, parent, areas, *, titles=("局长", "副局长"), deputies=2, staff=5, in_small=False, phone="10"):
    return UnitSpec(key, name, kind, parent, "department", areas=areas, titles=titles, deputies=deputies, staff=staff, in_small=in_small, phone=phone)


PARTY_DEPARTMENTS = [
    _dept("区委办", "中共示范区委办公室", "party_department", "区委", ("综合文字", "督查", "机要保密", "信息"), titles=("主任", "副主任"), phone="11"),
    _dept(
        "组织部",
        "中共示范区委组织部",
        "party_department",
        "区委",
        ("干部工作", "干部监督", "基层组织建设", "党员教育管理", "人才工作"),
        titles=("部长", "副部长"),
        deputies=3,
        staff=6,
        in_small=True,
        phone="12",
    ),
    _dept("宣传部", "中共示范区委宣传部", "party_department", "区委", ("理论学习", "新闻宣传", "网信", "文明创建"), titles=("部长", "副部长"), phone="13"),
    _dept("统战部", "中共示范区委统战部", "party_department", "区委", ("党外干部", "民族宗教", "非公经济", "侨务"), titles=("部长", "副部长"), phone="14"),
    _dept("政法委", "中共示范区委政法委员会", "party_department", "区委", ("维稳", "平安建设", "执法监督", "综治中心"), titles=("书记", "副书记"), phone="15"),
    _dept(
        "机关工委",
        "中共示范区直属机关工作委员会",
        "party_department",
        "区委",
        ("机关党建", "党员发展", "作风建设"),
        titles=("书记", "副书记"),
        deputies=1,
        phone="16",
    ),
]

GOVERNMENT_DEPARTMENTS = [
    _dept(
        "政府办", "示范区人民政府办公室", "government_department", "区政府", ("综合调研", "政务公开", "督查", "后勤保障"), titles=("主任", "副主任"), phone="20"
    ),
    _dept("发改局", "示范区发展和改革局", "government_department", "区政府", ("项目管理", "价格", "能源", "国民经济综合"), phone="21"),
    _dept(
        "教育局",
        "示范区教育局",
        "government_department",
        "区政府",
        ("基础教育", "学前教育", "教师队伍建设", "教育督导", "学校安全"),
        deputies=3,
        in_small=True,
        phone="22",
    ),
    _dept(
        "财政局", "示范区财政局", "government_department", "区政府", ("预算", "国库", "政府采购", "债务管理", "国有资产"), deputies=3, in_small=True, phone="23"
    ),
    _dept("审计局", "示范区审计局", "government_department", "区政府", ("经济责任审计", "财政审计", "投资审计"), in_small=True, phone="24"),
    _dept("卫健局", "示范区卫生健康局", "government_department", "区政府", ("医政", "疾病预防控制", "基层卫生", "妇幼健康"), phone="25"),
    _dept("住建局", "示范区住房和城乡建设局", "government_department", "区政府", ("建筑市场", "房地产", "城市建设", "物业管理"), phone="26"),
    _dept("交通局", "示范区交通运输局", "government_department", "区政府", ("公路建设", "运输管理", "交通安全"), phone="27"),
    _dept("农业农村局", "示范区农业农村局", "government_department", "区政府", ("种植业", "畜牧", "农村改革", "乡村建设"), phone="28"),
    _dept("自然资源局", "示范区自然资源局", "government_department", "区政府", ("国土空间规划", "耕地保护", "不动产登记", "执法监察"), phone="29"),
    _dept("生态环境局", "示范区生态环境局", "government_department", "区政府", ("大气污染防治", "水环境", "环境执法"), phone="30"),
    _dept("市场监管局", "示范区市场监督管理局", "government_department", "区政府", ("食品安全", "登记注册", "质量安全", "价格监督"), phone="31"),
    _dept("人社局", "示范区人力资源和社会保障局", "government_department", "区政府", ("就业", "社会保险", "劳动监察", "人事考试"), phone="32"),
    _dept("民政局", "示范区民政局", "government_department", "区政府", ("社会救助", "养老服务", "社区建设"), phone="33"),
    _dept("司法局", "示范区司法局", "government_department", "区政府", ("法治督察", "公共法律服务", "人民调解", "社区矫正"), phone="34"),
    _dept("公安分局", "示范区公安分局", "government_department", "区政府", ("治安", "刑侦", "交通管理", "警务保障"), deputies=3, staff=5, phone="35"),
    _dept("信访局", "示范区信访局", "government_department", "区政府", ("来访接待", "网上信访", "督查督办"), deputies=1, phone="36"),
    _dept("应急局", "示范区应急管理局", "government_department", "区政府", ("安全生产", "防灾减灾", "应急救援"), phone="37"),
    _dept("文旅局", "示范区文化旅游体育局", "government_department", "区政府", ("文化市场", "旅游发展", "体育"), phone="38"),
]

JUDICIAL = [
    _dept("法院", "示范区人民法院", "court", ROOT, ("刑事审判", "民事审判", "执行", "立案信访"), titles=("院长", "副院长"), staff=5, phone="40"),
    _dept("检察院", "示范区人民检察院", "procuratorate", ROOT, ("刑事检察", "公益诉讼", "控告申诉"), titles=("检察长", "副检察长"), staff=5, phone="41"),
]

STREETS = [
    UnitSpec(
        "东园街道", "示范区东园街道", "street", ROOT, "street", areas=("城市管理", "社区治理", "民生保障", "安全生产"), staff=4, in_small=True, phone="50"
    ),
    UnitSpec("西苑街道", "示范区西苑街道", "street", ROOT, "street", areas=("城市管理", "社区治理", "民生保障", "招商引资"), staff=4, phone="51"),
    UnitSpec("南湖街道", "示范区南湖街道", "street", ROOT, "street", areas=("社区治理", "民生保障", "生态保护", "平安建设"), staff=4, phone="52"),
    UnitSpec("北山街道", "示范区北山街道", "street", ROOT, "street", areas=("城市更新", "社区治理", "就业服务", "安全生产"), staff=4, phone="53"),
    UnitSpec("青石镇", "示范区青石镇", "street", ROOT, "township", areas=("农业生产", "乡村振兴", "民生保障", "安全生产"), staff=4, phone="54"),
]

SCHOOLS = [
    UnitSpec("第一中学", "示范区第一中学", "school", "教育局", "school", areas=("教学", "德育", "后勤"), staff=3, in_small=True, phone="60"),
    UnitSpec("实验小学", "示范区实验小学", "school", "教育局", "school", areas=("教学", "德育", "后勤"), staff=3, phone="61"),
    UnitSpec("职业中学", "示范区职业技术学校", "school", "教育局", "school", areas=("教学", "实训", "招生就业"), staff=3, phone="62"),
]

ENTERPRISES = [
    UnitSpec("城投集团", "示范区城市建设投资集团有限公司", "soe", "区政府", "soe", areas=("工程建设", "融资", "资产运营"), staff=3, phone="70"),
]

ALL_UNITS = DISTRICT_BODIES + PARTY_DEPARTMENTS + GOVERNMENT_DEPARTMENTS + JUDICIAL + STREETS + SCHOOLS + ENTERPRISES

DEPUTY_COMMON_AREAS = ("办公室", "财务", "机关党建", "安全生产", "政务公开", "信访维稳")
