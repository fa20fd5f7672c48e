"""`hexie demo`: a realistic, deterministic 和谐同行 programme for Yueyang, through the service layer.

`run_demo(hexie, seed)` appends, with `Hexie.open_case` / `Hexie.append` only (the
same code the HTTP API calls, so every schema and rule applies), three programme
years of work by all 15 Annex 1 units, dated 2020-10 … 2023-09 (`occurred_on`):

- the Annex 1 targets and Annex 2 measures exactly as `hexie init` records them
  (those already present are skipped), never amended;
- every plan: enterprises (master data), key employers with visits, stability
  policies, layoff plans and layoffs (one plan revised upward before more layoffs),
  a few delisted; bargaining models nominated → evaluated → selected → some
  recommended; cultivation enrolled → plan → training → visits → assessed; cooperation
  units signed and awarded plaques, migrant-worker forums and their appeals; wage
  guidance and salary-survey feedback; new-enterprise services (the bulk); coordinators,
  mediation bodies, mediators and social organisations with their gold selections;
  wage-arrears cases from clue to typical case, some still open, a few past their deadline;
- progress reports on the Annex 2 measures from the responsible units: most on time,
  a few late, a few missing.

Achievement looks real: most units meet their targets exactly, a few exceed, and a
few districts (chosen by the seed) are behind — two at 60–80 % on P06, one without a
P01 model, one short on P02 and P07, one on P04, one without a P10 typical case, and
two below the P03 quality bar (≥80 % of cultivated enterprises pass) while the city
as a whole passes it. `run_demo` returns a summary that names them.

Decisions
- Determinism: everything is drawn from `random.Random(seed)`; the only clock read is
  "today" (Beijing), the upper bound of every date (the programme ends 2023-09-30). Case
  ids that the domain derives from data (enterprises by USCC, key employers, cultivation,
  …) are the same on every run with the same seed; kinds with random ids (coordinators,
  mediation bodies, arrears cases …) get new ids each run, their data is the same.
- Order: all commands are planned first, then appended in business-date order (ties in
  planning order), so the global log reads like the programme unfolding, every case's
  events are in date order and a case is always opened before another case refers to it.
- Every command carries `request_id` `demo-<seed>-<n>`: demo data can be told apart.
- A second run is refused (`DemoRefused`): the demo only runs on an empty ledger or one
  holding nothing but what `hexie init` records (TargetAssigned, MeasureDefined). Several
  kinds have random ids, so a second run would otherwise record a second, duplicate
  programme; and demo data must never be mixed into a ledger with real cases. A refused
  run appends nothing.
- A command the domain refuses is a bug in the demo: it is raised as `DemoFailed`, naming
  the command (events appended before it stay: the ledger is append-only).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable
from uuid import UUID

from hexie.domain.commands import CaseNotFound, DuplicateCase
import asyncio

from hexie.projections import history
from hexie.projections.engine import connect
from hexie.domain.application import Hexie
from hexie.domain.case import Context
from hexie.domain.calendar import today
from hexie.domain.measure import Measure
from hexie.domain.target import Target
from hexie.domain.identifiers import id_check_char, uscc_check_char
from hexie.domain.vocabulary import CITY_BODIES, DISTRICTS, UNITS
from hexie.domain.calendar import programme_year, PROGRAMME_YEARS

from .programme import measure_commands, target_commands

PROGRAMME_END = dt.date(2023, 9, 30)  # 总结验收: 2023年9月前
DEMO_START = dt.date(2020, 10, 8)  # the launch week's activities (启动实施, 2020-09 … 11)
INIT_TYPES = frozenset({"TargetAssigned", "MeasureDefined"})
INIT_ACTOR = "hexie-init"  # as `hexie init` records them

Progress = Callable[[int, int, str], None]


class DemoRefused(Exception):
    """The ledger already holds cases other than the Annex 1 targets and Annex 2 measures."""


class DemoFailed(Exception):
    """The domain refused a demo command: a bug in the demo."""


# -- places, people, names ------------------------------------------------------

@dataclass(frozen=True)
class Place:
    py: str  # pinyin, for actors
    div: str  # administrative division code, for USCCs and 身份证号码
    prefixes: tuple[str, ...]  # how enterprise names start
    area: str  # how addresses start
    roads: tuple[str, ...]
    towns: tuple[str, ...]


_CITY_ROADS = ("青年中路", "建湘路", "巴陵中路", "东茅岭路", "金鹗中路", "五里牌路", "岳阳大道", "学院路", "洞庭南路", "岳州路")
_CITY_TOWNS = ("岳阳楼街道", "三眼桥街道", "望岳路街道", "奇家岭街道", "城陵矶街道", "洞庭街道", "金鹗山街道")

PLACES: dict[str, Place] = {
    "岳阳楼区": Place("yueyanglou", "430602", ("岳阳", "岳阳市"), "岳阳市岳阳楼区", _CITY_ROADS + ("花板桥路", "枫桥湖路"), _CITY_TOWNS),
    "君山区": Place("junshan", "430611", ("岳阳君山", "君山"), "岳阳市君山区", ("君山大道", "濠河路", "柳林洲大道", "许市大道", "世纪大道"),
                 ("柳林洲街道", "许市镇", "钱粮湖镇", "广兴洲镇", "良心堡镇", "采桑湖镇")),
    "云溪区": Place("yunxi", "430603", ("岳阳云溪", "云溪"), "岳阳市云溪区", ("云溪大道", "长岭大道", "永济大道", "临港大道", "兴云路"),
                 ("云溪街道", "长岭街道", "陆城镇", "路口镇", "永济乡")),
    "华容县": Place("huarong", "430623", ("华容县", "华容"), "华容县", ("华容大道", "沿河大道", "禹山路", "章华路", "桥东路"),
                 ("章华镇", "治河渡镇", "三封寺镇", "东山镇", "万庾镇", "插旗镇", "团洲乡")),
    "湘阴县": Place("xiangyin", "430624", ("湘阴县", "湘阴"), "湘阴县", ("洋沙湖大道", "湘州大道", "文星路", "凤凰路", "金龙大道"),
                 ("文星镇", "金龙镇", "鹤龙湖镇", "樟树镇", "岭北镇", "东塘镇")),
    "岳阳县": Place("yueyangxian", "430621", ("岳阳县",), "岳阳县", ("荣湾路", "天鹅路", "新墙河路", "东方路", "城南路"),
                 ("荣家湾镇", "新墙镇", "黄沙街镇", "月田镇", "筻口镇", "新开镇")),
    "平江县": Place("pingjiang", "430626", ("平江县", "平江"), "平江县", ("天岳大道", "启明路", "东兴路", "汉昌大道", "和平路"),
                 ("汉昌街道", "伍市镇", "三市镇", "安定镇", "瓮江镇", "南江镇")),
    "汨罗市": Place("miluo", "430681", ("汨罗市", "汨罗"), "汨罗市", ("罗城路", "汨罗江大道", "建设中路", "屈原大道", "龙舟北路"),
                 ("汨罗镇", "新市镇", "白水镇", "屈子祠镇", "罗江镇", "弼时镇")),
    "临湘市": Place("linxiang", "430682", ("临湘市", "临湘"), "临湘市", ("长安路", "滨湖路", "城南大道", "沿湖路", "临湘大道"),
                 ("长安街道", "羊楼司镇", "桃林镇", "聂市镇", "忠防镇", "江南镇")),
    "经开区": Place("jingkai", "430671", ("岳阳经开区", "岳阳"), "岳阳经济技术开发区", ("岳阳大道东", "金凤路", "康王路", "通海路", "巴陵东路"),
                 ("康王乡", "通海路管理处", "西塘镇", "金凤桥管理处", "木里港管理处")),
    "南湖新区": Place("nanhu", "430672", ("岳阳南湖", "岳阳"), "岳阳市南湖新区", ("南湖大道", "湖滨路", "龙山路", "王家河路", "求索路"),
                  ("湖滨街道", "龙山管理处", "南湖风景区管理处")),
    "屈原区": Place("quyuan", "430673", ("岳阳屈原", "屈原"), "岳阳市屈原管理区", ("天问大道", "营田大道", "屈原大道", "凤凰路"),
                 ("营田镇", "河市镇", "凤凰乡", "天问街道")),
    "市人社局": Place("renshe", "430600", ("岳阳市", "岳阳"), "岳阳市岳阳楼区", _CITY_ROADS, _CITY_TOWNS),
    "市总工会": Place("zonggonghui", "430600", ("岳阳市", "岳阳"), "岳阳市岳阳楼区", _CITY_ROADS, _CITY_TOWNS),
    "市工商联": Place("gongshanglian", "430600", ("岳阳市", "岳阳"), "岳阳市岳阳楼区", _CITY_ROADS, _CITY_TOWNS),
}
_BIRTH_DIVS = ("430602", "430603", "430611", "430621", "430623", "430624", "430626", "430681", "430682",
               "430102", "430103", "430111", "430702", "430903", "431202")

TRADE_NAMES = (
    "洞庭", "巴陵", "湘北", "鑫盛", "华腾", "恒通", "金桥", "宏达", "楚天", "瑞丰", "长盛", "天岳", "岳峰", "兴旺", "正泰",
    "利民", "东方", "新港", "城陵", "华兴", "明珠", "佳和", "荣达", "湘岳", "昌盛", "永祥", "博远", "嘉禾", "泰和", "德润",
    "合力", "旭日", "福源", "恒昌", "锦程", "广源", "顺达", "万家", "天和", "金鹰", "银城", "瑞祥", "盛世", "鼎立", "三和",
    "富民", "春晖", "凯达", "天成", "东升", "华辰", "康达", "美佳", "亿达", "隆昌", "新宇", "星辉", "同创", "远航", "聚力",
    "丰源", "开元", "通达", "立信", "群英", "一鸣", "嘉信", "汇通", "中天", "龙腾", "大成", "安泰", "宏图", "怡和", "新湘",
    "楚韵", "湖光", "君和", "云帆", "长岭", "章华", "洋沙", "幕阜", "汨江", "羊楼", "营田", "南湖", "康王", "岳美", "岳丰",
    "湘旺", "润泽", "裕丰", "兴湘", "金穗", "华湘", "益民", "远大", "众成", "百川", "协力", "恒丰", "志诚", "锦华", "森茂",
)

# (industry, business, employees of a new enterprise lo..hi)
BUSINESSES: tuple[tuple[str, str, int, int], ...] = (
    ("C", "机械制造", 8, 60), ("C", "食品", 5, 40), ("C", "纺织", 10, 80), ("C", "新材料科技", 6, 40), ("C", "电子科技", 6, 50),
    ("C", "服饰", 5, 30), ("C", "包装材料", 5, 30), ("C", "建材", 6, 40), ("C", "米业", 4, 25), ("C", "茶业", 4, 20),
    ("C", "竹木制品", 4, 25), ("C", "农产品加工", 5, 30), ("C", "生物科技", 5, 30), ("C", "浮标", 3, 20), ("C", "塑业", 4, 30),
    ("E", "建筑工程", 8, 60), ("E", "建设工程", 8, 60), ("E", "路桥工程", 10, 60), ("E", "装饰工程", 4, 25), ("E", "水电安装工程", 3, 20),
    ("F", "商贸", 2, 15), ("F", "超市", 4, 30), ("F", "医药连锁", 5, 30), ("F", "农资", 2, 10), ("F", "贸易", 2, 12), ("F", "汽车销售服务", 5, 30),
    ("G", "物流", 5, 40), ("G", "运输", 4, 30), ("G", "仓储", 3, 20),
    ("H", "餐饮管理", 5, 40), ("H", "酒店管理", 8, 50), ("H", "农家乐", 3, 12),
    ("I", "网络科技", 3, 25), ("I", "信息技术", 3, 25), ("I", "软件", 3, 20),
    ("K", "房地产开发", 5, 30), ("K", "物业管理", 8, 60),
    ("L", "人力资源服务", 3, 20), ("L", "企业管理咨询", 2, 10), ("L", "文化传媒", 2, 12), ("L", "劳务", 3, 30),
    ("M", "检测技术", 4, 25), ("M", "工程设计", 4, 25),
    ("O", "家政服务", 4, 40), ("O", "汽车维修", 3, 15),
    ("A", "农业开发", 3, 25), ("A", "生态农业", 3, 20), ("A", "水产养殖", 3, 15),
    ("Q", "养老服务", 6, 40), ("P", "职业培训学校", 4, 20), ("R", "文化旅游", 3, 20), ("D", "新能源", 5, 30),
)
_NEW_WEIGHTS = {"C": 16, "E": 9, "F": 22, "G": 6, "H": 9, "I": 6, "K": 4, "L": 9, "M": 4, "O": 6, "A": 4, "Q": 2, "P": 1, "R": 1, "D": 1}
# Larger employers: key employers, cultivation, wage guidance, bargaining models.
LARGE_BUSINESSES: tuple[tuple[str, str], ...] = (
    ("C", "机械制造"), ("C", "石化设备"), ("C", "纸业"), ("C", "食品"), ("C", "纺织"), ("C", "电子科技"), ("C", "新材料"),
    ("C", "电机"), ("C", "化工"), ("C", "汽车零部件"), ("C", "生物医药"), ("C", "船舶制造"), ("C", "粮油"),
    ("E", "建设集团"), ("E", "路桥建设"), ("G", "港务"), ("G", "物流"), ("D", "电力"), ("D", "水务"),
    ("F", "商业连锁"), ("H", "酒店"), ("Q", "医院"), ("B", "矿业"), ("I", "信息产业"),
)
OWNERSHIP_NEW = (("private", 86), ("other", 8), ("state_owned", 2), ("collective", 1), ("hmt_invested", 2), ("foreign_invested", 1))
OWNERSHIP_LARGE = (("private", 55), ("state_owned", 25), ("other", 10), ("foreign_invested", 6), ("hmt_invested", 4))

SURNAMES = (
    "李", "刘", "陈", "王", "张", "彭", "周", "谭", "罗", "胡", "黄", "唐", "曾", "邓", "易", "吴", "杨", "廖", "许", "何",
    "钟", "方", "毛", "付", "余", "汤", "黎", "任", "姚", "龙", "卢", "蒋", "袁", "傅", "熊", "文", "肖", "欧阳", "刘", "李",
    "陈", "王", "张", "周", "黄", "赵", "孙", "徐", "朱", "郭", "冯", "田", "严", "柳", "喻", "左", "晏", "万", "邹", "贺",
)
GIVEN_MALE = ("伟", "强", "军", "勇", "建华", "志刚", "国庆", "海涛", "红兵", "明", "斌", "波", "俊杰", "建国", "卫东", "晓东", "立新",
              "文斌", "德明", "湘平", "岳峰", "洪", "涛", "鹏", "磊", "超", "浩", "宇", "子豪", "振华", "永红", "正平", "学军", "长青")
GIVEN_FEMALE = ("芳", "丽", "敏", "静", "霞", "燕", "红梅", "慧", "婷", "丽华", "桂英", "秀兰", "玲", "艳", "娟", "晓红", "湘君", "岳兰",
                "琴", "小燕", "雪梅", "海燕", "思雨", "佳怡", "欣怡", "春兰", "美玲", "淑芬", "丹", "倩")
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "173", "177", "180", "181", "186", "187", "189", "199")
ETHNICITIES = (("01", 930), ("15", 35), ("06", 18), ("03", 6), ("12", 6), ("13", 5))  # 汉 土家 苗 回 侗 瑶

SEP = "，"


def weighted(rng: random.Random, pairs) -> Any:
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


def iso(d: dt.date) -> str:
    return d.isoformat()


# -- the plan of commands ----------------------------------------------------------

@dataclass(frozen=True)
class Ref:
    """The id of a case opened earlier in the run (resolved when the command is appended)."""

    key: str


@dataclass
class Command:
    on: dt.date
    seq: int
    key: str  # the case, by a name of the run's own
    type: str
    data: dict[str, Any]
    actor: str
    actor_unit: str
    opens: bool


@dataclass
class Company:
    key: str
    name: str
    uscc: str
    unit: str
    enrolled_on: dt.date
    headcount: int
    industry: str
    ownership: str


@dataclass
class Cell:
    unit: str
    plan: str
    total: int
    per_year: dict[int, int]  # what the unit owes per programme year (split by us if the seed gives none)
    done: dict[int, int] = field(default_factory=dict)  # what the demo delivers per programme year


class Planner:
    """Draws the programme from one `random.Random(seed)` and lists its commands."""

    def __init__(self, seed: int, end: dt.date):
        self.rng = random.Random(seed)
        self.seed = seed
        self.end = end
        self.commands: list[Command] = []
        self.usccs: set[str] = set()
        self.names: set[str] = set()
        self.people: set[str] = set()
        self.companies: dict[str, list[Company]] = defaultdict(list)  # established enterprises by unit
        self.cells: dict[tuple[str, str], Cell] = {}
        self.notes: dict[str, Any] = {}
        self.counter = Counter()
        self.last: dict[str, dt.date] = {}  # latest date planned per case
        self._staff: dict[str, list[str]] = {}

    # -- commands ------------------------------------------------------------

    def open(self, key: str, type: str, on: dt.date, data: dict[str, Any], actor_unit: str, role: str = "officer") -> None:
        self._add(key, type, on, data, actor_unit, role, True)

    def add(self, key: str, type: str, on: dt.date, data: dict[str, Any], actor_unit: str, role: str = "officer") -> None:
        self._add(key, type, on, data, actor_unit, role, False)

    def _add(self, key, type, on, data, actor_unit, role, opens) -> None:
        on = max(DEMO_START, min(on, self.end))
        self.last[key] = max(on, self.last.get(key, on))
        actor = f"{role}-{PLACES[actor_unit].py}"
        self.commands.append(Command(on, len(self.commands), key, type, data, actor, actor_unit, opens))

    def key(self, kind: str) -> str:
        self.counter[kind] += 1
        return f"{kind}:{self.counter[kind]}"

    # -- dates ----------------------------------------------------------------

    def date(self, lo: dt.date, hi: dt.date) -> dt.date:
        hi = min(hi, self.end)
        lo = min(lo, hi)
        return lo + dt.timedelta(days=self.rng.randint(0, (hi - lo).days))

    def later(self, d: dt.date, lo: int, hi: int) -> dt.date:
        """A date lo..hi days after d, never after the end of the programme (nor before d)."""
        return min(self.end, d + dt.timedelta(days=self.rng.randint(lo, hi)))

    def in_year(self, year: int, first_month: int = 1, last_month: int = 12, launch: bool = False) -> dt.date:
        """A date in programme year `year`, between two months; 2021 may reach back into the 2020 launch."""
        lo = dt.date(year, first_month, 5)
        hi = dt.date(year, last_month, 28)
        if launch and year == 2021:
            lo = DEMO_START
        if year == 2023:
            hi = min(hi, dt.date(2023, 9, 25))
            lo = min(lo, hi - dt.timedelta(days=20))
        return self.date(lo, hi)

    # -- names and identifiers ----------------------------------------------------

    def staff(self, unit: str) -> str:
        """One of the unit's few officers who visit and assess (the same people, year after year)."""
        if unit not in self._staff:
            self._staff[unit] = [self.person()[0] for _ in range(4)]
        return self.rng.choice(self._staff[unit])

    def person(self, gender: str | None = None) -> tuple[str, str]:
        rng = self.rng
        gender = gender or ("male" if rng.random() < 0.62 else "female")
        for _ in range(50):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN_MALE if gender == "male" else GIVEN_FEMALE)
            if name not in self.people:
                break
        self.people.add(name)
        return name, gender

    def id_number(self, gender: str, born_lo: int = 1966, born_hi: int = 1997) -> str:
        rng = self.rng
        born = dt.date(rng.randint(born_lo, born_hi), 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        serial = rng.randint(0, 499) * 2 + (1 if gender == "male" else 0)  # odd = male (GB 11643)
        body = f"{rng.choice(_BIRTH_DIVS)}{born:%Y%m%d}{serial:03d}"
        return body + id_check_char(body)

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"

    def landline(self) -> str:
        return f"0730-{self.rng.choice('2345678')}{self.rng.randint(0, 999_999):06d}"

    def uscc(self, unit: str, new: bool) -> str:
        rng = self.rng
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            if new:
                org = "MA4" + rng.choice("LMNPQRT") + "".join(rng.choice(alphabet) for _ in range(5))
            else:
                org = f"{rng.randint(10_000_000, 99_999_999)}{rng.choice('0123456789X')}"
            body = f"91{PLACES[unit].div}{org}"
            code = body + uscc_check_char(body)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def address(self, unit: str) -> str:
        p = PLACES[unit]
        if self.rng.random() < 0.7:
            return f"{p.area}{self.rng.choice(p.roads)}{self.rng.randint(1, 399)}号"
        return f"{p.area}{self.rng.choice(p.towns)}{self.rng.choice(('工业园', '创业园', '集镇', '社区'))}{self.rng.randint(1, 88)}号"

    def company_name(self, unit: str, business: str, suffix: str = "有限公司") -> str:
        rng = self.rng
        for _ in range(200):
            name = f"{rng.choice(PLACES[unit].prefixes)}{rng.choice(TRADE_NAMES)}{business}{suffix}"
            if name not in self.names:
                self.names.add(name)
                return name
        name = f"{rng.choice(PLACES[unit].prefixes)}{rng.choice(TRADE_NAMES)}{rng.choice(TRADE_NAMES)}{business}{suffix}"
        self.names.add(name)
        return name

    # -- enterprises ----------------------------------------------------------------

    def enterprise(self, unit: str, on: dt.date, *, large: bool, new: bool = False, business=None,
                   ownership: str | None = None, keep: bool = True) -> Company:
        """Enrol an enterprise (master data) on `on`; returns it for other cases to refer to."""
        rng = self.rng
        on = max(on, DEMO_START)
        if large:
            industry, biz = business or rng.choice(LARGE_BUSINESSES)
            ownership = ownership or weighted(rng, OWNERSHIP_LARGE)
            suffix = rng.choice(("有限公司", "有限公司", "有限责任公司", "股份有限公司")) if biz not in ("医院",) else ""
            headcount = rng.randint(260, 3200)
        else:
            industry = weighted(rng, _NEW_WEIGHTS.items())
            choices = [b for b in BUSINESSES if b[0] == industry]
            _, biz, lo, hi = rng.choice(choices)
            ownership = ownership or weighted(rng, OWNERSHIP_NEW)
            suffix = "有限公司"
            headcount = rng.randint(lo, hi)
        if biz == "医院":
            name = self.company_name(unit, rng.choice(("仁和", "康复", "协和", "同济", "博爱")) + "医院", "")
        else:
            name = self.company_name(unit, biz, suffix)
        uscc = self.uscc(unit, new)
        key = f"enterprise:{uscc}"
        contact, _ = self.person()
        data = {
            "name": name, "uscc": uscc, "unit": unit, "address": self.address(unit), "industry": industry,
            "ownership": ownership, "contact_name": contact,
            "contact_phone": self.mobile() if rng.random() < 0.8 else self.landline(),
            "headcount": headcount, "newly_registered": new,
        }
        if new:
            data["registration_date"] = iso(on - dt.timedelta(days=rng.randint(3, 45)))
        else:
            data["registration_date"] = iso(dt.date(rng.randint(1995, 2018), rng.randint(1, 12), rng.randint(1, 28)))
        self.open(key, "EnterpriseEnrolled", on, data, unit)
        company = Company(key, name, uscc, unit, on, headcount, industry, ownership)
        if keep:
            self.companies[unit].append(company)
        return company

    def established(self, unit: str, before: dt.date, exclude: set[str]) -> Company | None:
        """An enterprise of the unit enrolled before `before` and not in `exclude`, if any."""
        pool = [c for c in self.companies[unit] if c.enrolled_on < before and c.key not in exclude]
        return self.rng.choice(pool) if pool else None


# -- achievement: who meets, misses or exceeds which target ------------------------

def _split(rng: random.Random, total: int) -> dict[int, int]:
    """A total without a yearly split, spread over the programme years."""
    out = {y: total // 3 for y in PROGRAMME_YEARS}
    for y in rng.sample(PROGRAMME_YEARS, total % 3):
        out[y] += 1
    return out


def plan_achievement(p: Planner) -> None:
    rng = p.rng
    for command in target_commands():
        d = command["data"]
        per_year = {int(y): n for y, n in d["per_year"].items()} if d["per_year"] else _split(rng, d["total"])
        p.cells[(d["unit"], d["plan"])] = Cell(d["unit"], d["plan"], d["total"], per_year, dict(per_year))

    def has(unit, plan, total):
        return (unit, plan) in p.cells and p.cells[(unit, plan)].total == total

    order = list(DISTRICTS)
    rng.shuffle(order)
    used: set[str] = set()

    def pick(*needs: tuple[str, int]) -> str:
        for unit in order:
            if unit not in used and all(has(unit, plan, total) for plan, total in needs):
                used.add(unit)
                return unit
        raise AssertionError(f"no district left for {needs}")

    behind, ahead = [], []

    def shortfall(unit, plan, years: dict[int, int], why: str):
        cell = p.cells[(unit, plan)]
        cell.done = {y: years.get(y, cell.per_year[y]) for y in PROGRAMME_YEARS}
        behind.append({"unit": unit, "plan": plan, "target": cell.total, "done": sum(cell.done.values()), "why": why})

    def surplus(unit, plan, extra: dict[int, int], why: str):
        cell = p.cells[(unit, plan)]
        cell.done = {y: cell.per_year[y] + extra.get(y, 0) for y in PROGRAMME_YEARS}
        ahead.append({"unit": unit, "plan": plan, "target": cell.total, "done": sum(cell.done.values()), "why": why})

    weak1 = pick(("P06", 75), ("P01", 1))
    c = p.cells[(weak1, "P06")]
    shortfall(weak1, "P06", {2021: c.per_year[2021] - rng.randint(3, 5), 2022: c.per_year[2022] - rng.randint(8, 10),
                             2023: c.per_year[2023] - rng.randint(11, 13)}, "新企业服务进度滞后（约65%）")
    shortfall(weak1, "P01", {2021: 0, 2022: 0, 2023: 0}, "三年申报的集体协商典型均未评选上")
    weak2 = pick(("P06", 75), ("P10", 1))
    c = p.cells[(weak2, "P06")]
    shortfall(weak2, "P06", {2022: c.per_year[2022] - rng.randint(7, 9), 2023: c.per_year[2023] - rng.randint(10, 12)},
              "新企业服务进度滞后（约75%）")
    shortfall(weak2, "P10", {y: 0 for y in PROGRAMME_YEARS}, "尚未发布欠薪典型案例")
    weak3 = pick(("P02", 3), ("P07", 3))
    shortfall(weak3, "P02", {2023: 0}, "2023年重点企业尚未开展首次指导")
    shortfall(weak3, "P07", {2022: 0}, "2022年未选树金牌协调员")
    weak4 = pick(("P04", 3))
    shortfall(weak4, "P04", {2023: 0}, "2023年签约的协作单位尚未授牌")
    quality_low = pick(("P03", 3))
    quality_mid = pick(("P03", 3))
    p.notes["p03_fails"] = {quality_low: 2, quality_mid: 1}
    p.notes["weak_reporters"] = [weak1, weak2]
    p.notes["p01_missing"] = weak1

    star = pick(("P06", 75), ("P01", 1), ("P10", 1))
    surplus(star, "P06", {2021: 2, 2022: 3, 2023: 2}, "新企业服务超额完成")
    surplus(star, "P01", {2022: 1}, "两户企业评为工资集体协商典型")
    surplus(star, "P10", {2022: 1}, "发布两起欠薪典型案例")
    star2 = pick(("P06", 45))
    surplus(star2, "P06", {2021: 2, 2022: 2, 2023: 2}, "新企业服务超额完成")
    star3 = pick(("P02", 3))
    surplus(star3, "P02", {2022: 1}, "多指导服务一户重点企业")
    star4 = pick(("P08", 3))
    surplus(star4, "P08", {2023: 1}, "多选树一家金牌调解组织")
    surplus("市总工会", "P04", {2022: 1}, "多授牌一家协作单位")
    p.notes["behind"] = behind
    p.notes["ahead"] = ahead


def done(p: Planner, unit: str, plan: str) -> dict[int, int]:
    cell = p.cells.get((unit, plan))
    return dict(cell.done) if cell else {y: 0 for y in PROGRAMME_YEARS}


# -- P02 key employers ------------------------------------------------------------------

FINDINGS = (
    "订单较上年减少约两成，企业有减员打算，已宣讲稳岗返还政策并建议通过协商调整工时稳定岗位",
    "用工总体稳定，劳动合同签订率100%，工资按月足额发放",
    "受原材料涨价影响生产经营困难，指导企业依法制定经济性裁员方案并与工会协商",
    "企业转型升级，部分岗位调整，指导企业通过内部转岗安置职工",
    "企业计划扩产，缺工约60人，已对接人力资源市场开展专场招聘",
    "疫情影响下部分生产线停产，指导企业采取轮岗轮休、协商薪酬等方式稳定劳动关系",
    "核查工资台账及社保缴费情况，未发现拖欠工资问题",
)
FOLLOW_UPS = ("一个月后电话回访", "纳入季度监测名单", "协调稳岗返还资金及时到位", "指导召开职工代表大会审议相关方案", "下次实地走访复核整改情况")
POLICY_YEARS = {  # which stability policies an employer could enjoy in which year (DOMAIN-NOTES 6)
    "ui_job_retention_refund": (2020, 2021, 2022, 2023), "si_fee_exemption_2020": (2020,), "work_for_training_subsidy": (2020,),
    "reduced_insurance_rates": (2020, 2021, 2022, 2023), "si_fee_deferral": (2020, 2022), "retention_training_subsidy": (2022,),
    "job_expansion_subsidy": (2022, 2023), "skill_upgrade_subsidy": (2020, 2021, 2022, 2023), "hiring_subsidy": (2021, 2022, 2023),
}
POSITIONS_LAID_OFF = ("一线操作工", "包装工、搬运工", "辅助生产岗位", "销售业务员", "行政后勤岗位", "质检员")


def key_employers(p: Planner, unit: str, extra_unvisited: bool) -> None:
    rng = p.rng
    city = unit in CITY_BODIES
    role = "officer"
    for year, n in done(p, unit, "P02").items():
        for _ in range(n):
            designated = p.in_year(year, 1, 6, launch=True)
            company = p.enterprise(unit, designated - dt.timedelta(days=rng.randint(2, 20)), large=True,
                                   ownership="state_owned" if city and rng.random() < 0.6 else None)
            first_visit = p.later(designated, 3, 40)
            _key_employer(p, unit, company, designated, first_visit, role)
    if extra_unvisited:  # on the list since late in the programme, not served yet: does not count
        designated = p.date(dt.date(2023, 8, 20), dt.date(2023, 9, 20))
        company = p.enterprise(unit, designated - dt.timedelta(days=5), large=True)
        _key_employer(p, unit, company, designated, None, role)


def _key_employer(p: Planner, unit: str, company: Company, designated: dt.date, first_visit: dt.date | None, role: str) -> None:
    rng = p.rng
    key = f"key_employer:{company.key}"
    reason = weighted(rng, (("large_employer", 45), ("operating_difficulty", 35), ("layoff_risk", 20)))
    last_year = int(rng.uniform(0.9, 1.12) * company.headcount)
    p.open(key, "KeyEmployerDesignated", designated, {
        "unit": unit, "enterprise_id": Ref(company.key), "reason": reason,
        "headcount_last_year_end": last_year, "headcount_now": company.headcount,
    }, unit, role)
    d = designated
    for _ in range(rng.randint(1, 3)):
        d = p.later(d, 1, 20)
        year = rng.choice([y for y in (d.year - 1, d.year) if y >= 2020])
        policy = rng.choice([code for code, years in POLICY_YEARS.items() if year in years])
        amount = f"{rng.randint(2, 90) * 1000 + rng.choice((0, 500))}.00"
        p.add(key, "StabilityPolicyRecorded", d, {"policy": policy, "year": year, "amount": amount}, unit, role)
    if first_visit is None:
        return
    d = max(d, first_visit)
    visits = [d]
    for _ in range(rng.randint(1, 4)):
        d = p.later(d, 60, 160)
        visits.append(d)
    for i, on in enumerate(visits):
        p.add(key, "GuidanceVisitLogged", on, {
            "visitor": p.staff(unit), "method": "on_site" if i == 0 else weighted(rng, (("on_site", 5), ("phone", 3), ("online", 1), ("meeting", 1))),
            "findings": rng.choice(FINDINGS), "follow_up": rng.choice(FOLLOW_UPS),
        }, unit, role)
        if i == 0 and reason != "large_employer" and rng.random() < 0.55:
            _layoffs(p, key, unit, company, on, role)
    last = p.last[key]
    if rng.random() < 0.08 and last < p.end - dt.timedelta(days=30):
        p.add(key, "KeyEmployerDelisted", p.later(last, 10, 90),
              {"reason": rng.choice(("生产经营好转，用工稳定，经评估移出重点企业名单", "企业已整体搬迁至外市", "企业进入破产清算程序，职工已妥善安置"))},
              unit, role)


def _layoffs(p: Planner, key: str, unit: str, company: Company, after: dt.date, role: str) -> None:
    rng = p.rng
    on = p.later(after, 5, 40)
    year = on.year
    if year < 2021 or on >= p.end:
        return
    planned = max(20, int(company.headcount * rng.uniform(0.05, 0.12)))
    positions = rng.choice(POSITIONS_LAID_OFF)
    p.add(key, "LayoffPlanReported", on, {
        "year": year, "planned_layoffs": planned, "positions": positions,
        "compensation_standard": weighted(rng, (("statutory_n", 5), ("n_plus_1", 3), ("above_statutory", 1), ("per_collective_agreement", 1))),
        "payment_capacity_assessed": True, "note": "已向工会说明情况并听取职工意见，经济补偿资金已落实",
    }, unit, role)
    first = rng.randint(planned // 2, planned)
    on = p.later(on, 30, 60)
    if on.year != year:
        return
    p.add(key, "LayoffsReported", on, {"year": year, "laid_off": first, "wages_settled": True, "positions": positions}, unit, role)
    if not p.notes.get("revised_layoff_plan") and first == planned and on.month < 10:
        # More layoffs than planned: a revised plan is reported first (the rule), then the layoffs.
        p.notes["revised_layoff_plan"] = key
        on = p.later(on, 20, 40)
        revised = planned + rng.randint(8, 20)
        p.add(key, "LayoffPlanReported", on, {
            "year": year, "planned_layoffs": revised, "positions": positions + "、车间辅助岗位",
            "compensation_standard": "n_plus_1", "payment_capacity_assessed": True,
            "note": "订单持续下滑，经与工会协商修订裁员计划",
        }, unit, role)
        on = p.later(on, 30, 45)
        p.add(key, "LayoffsReported", on, {"year": year, "laid_off": revised - planned, "wages_settled": True}, unit, role)
        first = revised
    elif first < planned and rng.random() < 0.5:
        on = p.later(on, 20, 60)
        if on.year == year:
            p.add(key, "LayoffsReported", on, {"year": year, "laid_off": planned - first, "wages_settled": True}, unit, role)
            first = planned
    p.add(company.key, "HeadcountReported", p.later(on, 1, 10), {"headcount": max(1, company.headcount - first), "as_of_date": iso(on)}, unit, role)


# -- P03 cultivation ---------------------------------------------------------------------

SERVICE_UNITS = ("劳动关系和谐企业培育指导服务组", "人社局劳动关系股", "总工会法律服务中心", "工商联法律服务中心")
CULTIVATION_PLANS = (
    "一企一策：规范劳动合同管理，完善规章制度民主程序，建立工资集体协商机制，开展企业文化建设",
    "围绕用工管理规范化、民主协商制度化、企业文化人本化，分三个阶段推进，每季度对照标准自查",
    "健全职工代表大会制度，推行厂务公开，建立劳动争议内部调解委员会，开展和谐班组评选",
)
TRAINING_TOPICS = ("劳动合同法及配套规定解读", "工资集体协商实务", "劳动争议预防与调解", "企业民主管理与厂务公开", "和谐劳动关系企业创建标准")


def cultivation(p: Planner, unit: str, fails: int, retries: int) -> None:
    rng = p.rng
    cases = []
    for year, n in done(p, unit, "P03").items():
        for _ in range(n):
            enrolled = p.in_year(year, 2, 5) if year < 2023 else p.date(dt.date(2023, 1, 10), dt.date(2023, 3, 20))
            company = p.enterprise(unit, enrolled - dt.timedelta(days=rng.randint(5, 30)), large=True)
            cases.append((year, enrolled, company))
    rng.shuffle(cases)
    cases.sort(key=lambda case: retries > 0 and case[0] == 2023)  # a re-assessment needs time: not on a 2023 case
    for i, (year, enrolled, company) in enumerate(cases):
        key = f"cultivation:{company.key}"
        role = "union" if rng.random() < 0.3 else "officer"
        service = f"{PLACES[unit].prefixes[0]}{rng.choice(SERVICE_UNITS)}" if rng.random() < 0.7 else f"湖南{rng.choice(TRADE_NAMES)}律师事务所"
        p.open(key, "CultivationEnrolled", enrolled, {"unit": unit, "enterprise_id": Ref(company.key), "service_unit": service, "year": year}, unit, role)
        d = p.later(enrolled, 7, 30)
        p.add(key, "CultivationPlanSet", d, {"plan": rng.choice(CULTIVATION_PLANS), "focus": rng.choice(("劳动合同管理", "工资集体协商", "民主管理", "企业文化"))}, unit, role)
        for _ in range(rng.randint(1, 2)):
            d = p.later(d, 15, 60)
            p.add(key, "CultivationTrainingHeld", d, {"topic": rng.choice(TRAINING_TOPICS), "attendees": rng.randint(20, 120)}, unit, role)
        for _ in range(rng.randint(1, 3)):
            d = p.later(d, 20, 70)
            p.add(key, "GuidanceVisitLogged", d, {"visitor": p.staff(unit), "method": weighted(rng, (("on_site", 4), ("meeting", 2), ("training", 1))),
                                                   "findings": rng.choice(("规章制度已按民主程序修订", "职代会制度运行正常", "工资集体协商协议已备案", "劳动合同台账不完整，已指导补正"))}, unit, role)
        due = dt.date(year, 11, 1) if year < 2023 else dt.date(2023, 8, 15)
        d = max(p.later(d, 10, 40), p.date(due, due + dt.timedelta(days=40)))
        if i < fails:
            unmet = rng.sample(("employment_management", "democratic_consultation", "harmony_culture"), rng.randint(1, 2))
            crit = {c: c not in unmet for c in ("employment_management", "democratic_consultation", "harmony_culture")}
            p.add(key, "CultivationAssessed", d, {"passed": False, **crit, "assessor": f"{unit}和谐企业评估组",
                                                   "note": "未达到劳动关系和谐企业要求，继续培育"}, unit, role)
        elif i < fails + retries and year < 2023:
            crit = {"employment_management": True, "democratic_consultation": False, "harmony_culture": True}
            p.add(key, "CultivationAssessed", d, {"passed": False, **crit, "assessor": f"{unit}和谐企业评估组",
                                                   "note": "民主协商机制尚不健全，限期整改后复评"}, unit, role)
            d = p.later(d, 90, 200)
            p.add(key, "CultivationAssessed", d, {"passed": True, "employment_management": True, "democratic_consultation": True,
                                                   "harmony_culture": True, "assessor": f"{unit}和谐企业评估组", "note": "整改到位，复评达标"}, unit, role)
        else:
            p.add(key, "CultivationAssessed", d, {"passed": True, "employment_management": True, "democratic_consultation": True,
                                                   "harmony_culture": True, "assessor": f"{unit}和谐企业评估组"}, unit, role)


# -- P01 bargaining models ---------------------------------------------------------------

INDUSTRY_MODELS = (("E", "建筑业"), ("H", "餐饮业"), ("C", "纺织服装业"), ("G", "物流运输业"), ("F", "商贸零售业"), ("O", "家政服务业"))


def bargaining(p: Planner, unit: str) -> None:
    rng = p.rng
    city = unit in CITY_BODIES
    used: set[str] = set()
    role = "union"
    for year, selected in done(p, unit, "P01").items():
        nominations = max(selected, 1) + (1 if rng.random() < 0.25 else 0)
        for i in range(nominations):
            nominated = p.in_year(year, 3, 5) if year < 2023 else p.date(dt.date(2023, 3, 1), dt.date(2023, 4, 30))
            if city or rng.random() < 0.15:
                scope = "industry" if rng.random() < 0.8 else "regional"
                for _ in range(20):  # a model's name is unique (it makes the case id)
                    industry, trade = rng.choice(INDUSTRY_MODELS)
                    name = (f"{PLACES[unit].prefixes[0]}{trade}工资集体协商（{year}）" if scope == "industry"
                            else f"{PLACES[unit].area}{rng.choice(PLACES[unit].towns)}区域性工资集体协商（{year}）")
                    if name not in p.names:
                        break
                p.names.add(name)
                data = {"unit": unit, "scope": scope, "year": year, "name": name, "industry": industry}
                key = f"bargaining_model:{unit}:{scope}:{name}"
            else:
                company = p.established(unit, nominated, used) if rng.random() < 0.5 else None
                if company is None:
                    company = p.enterprise(unit, nominated - dt.timedelta(days=rng.randint(5, 40)), large=True)
                used.add(company.key)
                data = {"unit": unit, "scope": "enterprise", "year": year, "name": company.name,
                        "enterprise_id": Ref(company.key), "industry": company.industry}
                key = f"bargaining_model:{company.key}"
            p.open(key, "BargainingModelNominated", nominated, data, unit, role)
            chosen = i < selected
            if not chosen and year == 2023 and rng.random() < 0.5:
                continue  # still under evaluation at the end of the programme
            d = p.later(nominated, 30, 90)
            rates = (lambda: round(rng.uniform(88, 99.5), 1)) if chosen else (lambda: round(rng.uniform(62, 86), 1))
            p.add(key, "BargainingModelEvaluated", d, {
                "awareness_rate": rates(), "satisfaction_rate": rates(), "compliance_rate": rates(),
                "basis": f"问卷调查职工{rng.randint(40, 300)}人，查阅协商记录、工资协议及备案材料",
            }, "市总工会", "union")
            if not chosen:
                continue
            d = p.later(d, 20, 60)
            p.add(key, "BargainingModelSelected", d, {"level": "city", "year": year}, "市总工会", "union")
            if rng.random() < 0.35 and d < dt.date(2023, 6, 1):
                d = p.later(d, 30, 120)
                p.add(key, "BargainingModelRecommended", d, {"to": "provincial"}, "市总工会", "union")
                if not p.notes.get("national_model") and d < dt.date(2023, 3, 1):
                    p.notes["national_model"] = key
                    p.add(key, "BargainingModelRecommended", p.later(d, 60, 150), {"to": "national"}, "市总工会", "union")


# -- P04 cooperation units and forums ----------------------------------------------------

COOP_SERVICES = (
    "为农民工提供免费职业介绍、岗位推荐和技能培训",
    "设立农民工服务驿站，提供法律咨询、工资维权代理和心理疏导",
    "优先招用本地农民工，落实同工同酬，开展农民工子女暑期托管",
    "组织农民工参加职业技能等级认定，提供返乡创业指导",
)
APPEALS = (
    ("labour_remuneration", "希望工程项目按月足额发放工资，不要年底集中结算"),
    ("social_insurance", "灵活就业人员参加养老保险的缴费档次和补贴政策不清楚"),
    ("skills_training", "希望多开展电工、焊工等技能培训并发放补贴"),
    ("children_schooling", "随迁子女在城区就读的入学手续较繁琐"),
    ("rest_and_leave", "部分企业加班较多，休息休假难以保障"),
    ("equal_employment", "招聘中存在年龄限制，40岁以上农民工求职困难"),
    ("urban_integration", "希望公租房申请向进城务工人员放开"),
    ("public_services", "希望在工业园区设立劳动保障服务窗口"),
)


def cooperation_units(p: Planner, unit: str, extra_unawarded: bool) -> None:
    rng = p.rng
    role = "union" if unit == "市总工会" else "officer"
    for year, n in done(p, unit, "P04").items():
        for _ in range(n):
            signed = p.in_year(year, 1, 5, launch=True) if year < 2023 else p.date(dt.date(2023, 1, 10), dt.date(2023, 4, 30))
            key = _coop_unit(p, unit, signed, role)
            award = p.date(max(signed + dt.timedelta(days=20), dt.date(year, 6, 1)), dt.date(year, 12, 20) if year < 2023 else dt.date(2023, 9, 20))
            p.counter["plaque"] += 1
            p.add(key, "PlaqueAwarded", award, {"year": year, "plaque_no": f"岳湘融湘爱〔{year}〕{p.counter['plaque']:03d}号"}, unit, role)
    if extra_unawarded:
        _coop_unit(p, unit, p.date(dt.date(2023, 6, 1), dt.date(2023, 9, 10)), role)
    if (unit, "P04") in p.cells and rng.random() < 0.15:
        key = _coop_unit(p, unit, p.date(dt.date(2021, 3, 1), dt.date(2021, 9, 1)), role)
        p.add(key, "CooperationUnitRevoked", p.date(dt.date(2022, 3, 1), dt.date(2022, 10, 1)),
              {"reason": "企业经营范围变更，不再开展农民工服务，经本人申请终止协作"}, unit, role)


def _coop_unit(p: Planner, unit: str, signed: dt.date, role: str) -> str:
    rng = p.rng
    category = weighted(rng, (("enterprise", 5), ("intermediary", 3), ("social_organisation", 2)))
    if category == "enterprise":
        name = p.company_name(unit, rng.choice(("建筑工程", "劳务", "物业管理", "家政服务")))
    elif category == "intermediary":
        name = p.company_name(unit, "人力资源服务")
    else:
        name = f"{PLACES[unit].prefixes[0]}{rng.choice(TRADE_NAMES)}农民工服务中心"
    key = p.key("cooperation_unit")
    p.open(key, "CooperationUnitSigned", signed, {
        "unit": unit, "name": name, "category": category, "address": p.address(unit),
        "contact_name": p.person()[0], "contact_phone": p.mobile(), "services": rng.choice(COOP_SERVICES),
    }, unit, role)
    return key


def forums(p: Planner, unit: str) -> None:
    rng = p.rng
    role = "union"
    per_year = 2 if unit == "市总工会" else 1
    for year in PROGRAMME_YEARS:
        for _ in range(per_year):
            held = p.in_year(year, 1, 2) if rng.random() < 0.6 else p.in_year(year, 5, 9)
            key = p.key("forum")
            appeals = []
            for n, (category, text) in enumerate(rng.sample(APPEALS, rng.randint(2, 5)), 1):
                appeals.append({"appeal_no": f"{year}-{n:02d}", "text": text, "category": category})
            p.open(key, "ForumHeld", held, {
                "unit": unit, "title": f"{year}年“湘融湘爱”农民工恳谈会",
                "venue": f"{PLACES[unit].area}{rng.choice(PLACES[unit].towns)}{rng.choice(('党群服务中心', '工会职工之家', '人力资源市场'))}",
                "participants": rng.randint(25, 120), "appeals": appeals,
            }, unit, role)
            d = held
            for a in appeals:
                if rng.random() < (0.45 if year == 2023 else 0.06):
                    continue  # still being followed up
                d = p.later(d, 5, 60)
                p.add(key, "AppealResolved", d, {"appeal_no": a["appeal_no"], "resolution": "已转交相关部门办理并电话回复诉求人，诉求人表示满意"}, unit, "officer")


# -- P05 wage guidance and salary-survey feedback ----------------------------------------

GUIDANCE = {
    "low_income": "依据当地最低工资标准和工资价位信息，指导企业合理确定一线岗位工资水平，建立正常增长机制",
    "skilled": "指导企业建立技能等级与薪酬挂钩的岗位工资制度，设立技能津贴",
    "sci_tech": "指导企业对科技人才实行项目工资、年薪制和成果转化收益分享",
    "state_owned_reform": "指导企业推进市场化薪酬分配改革，完善工资总额决定机制和经理层任期制契约化管理",
}


def wage_guidance(p: Planner, unit: str) -> None:
    rng = p.rng
    city = unit in CITY_BODIES
    for year, n in done(p, unit, "P05").items():
        for _ in range(n):
            on = p.in_year(year, 3, 10)
            company = p.enterprise(unit, on - dt.timedelta(days=rng.randint(5, 30)), large=True,
                                   ownership="state_owned" if city else None)
            group = "state_owned_reform" if city else weighted(rng, (("low_income", 4), ("skilled", 4), ("sci_tech", 2)))
            key = f"wage_guidance:{company.key}"
            p.open(key, "WageGuidanceProvided", on, {"unit": unit, "enterprise_id": Ref(company.key), "group": group, "content": GUIDANCE[group]}, unit)
            d = on
            for _ in range(rng.choice((0, 0, 1, 2))):
                d = p.later(d, 60, 200)
                g = rng.choice(("low_income", "skilled", "sci_tech")) if not city else group
                p.add(key, "WageGuidanceFollowedUp", d, {"group": g, "content": "回访指导：" + GUIDANCE[g]}, unit)


def salary_survey(p: Planner) -> None:
    """The city bureau feeds the national salary survey back to the surveyed enterprises."""
    rng = p.rng
    for year in PROGRAMME_YEARS:
        on_lo, on_hi = dt.date(year, 6, 1), dt.date(year, 9, 20)
        pool = [c for unit in UNITS for c in p.companies[unit] if c.enrolled_on < on_lo and c.headcount >= 200]
        for company in rng.sample(pool, min(len(pool), rng.randint(16, 22))):
            p.open(f"salary_survey_feedback:{company.key}:{year - 1}", "SalarySurveyFeedbackProvided", p.date(on_lo, on_hi), {
                "unit": "市人社局", "enterprise_id": Ref(company.key), "survey_year": year - 1, "personalised": rng.random() < 0.15,
            }, "市人社局")


# -- P06 new-enterprise services -------------------------------------------------------

NEW_SERVICE = {
    "online_push": "通过湖南省劳动用工备案系统推送劳动合同示范文本、用工风险提示和稳岗政策",
    "handbook": "发放《新办企业用工指导手册》口袋书，讲解劳动合同签订、工资支付和社会保险登记",
    "training": "组织参加新办企业劳动用工政策培训班",
    "on_site": "服务队上门指导建立职工名册、劳动合同台账和工资支付台账",
    "purchased_service": "通过政府购买服务，由律师事务所开展用工体检并出具风险提示",
}


def new_enterprise_services(p: Planner, unit: str) -> None:
    rng = p.rng
    for year, n in done(p, unit, "P06").items():
        for _ in range(n):
            served = p.in_year(year, 1, 12, launch=rng.random() < 0.15) if year < 2023 else p.date(dt.date(2023, 1, 10), dt.date(2023, 9, 25))
            enrolled = served - dt.timedelta(days=rng.randint(0, 20))
            if enrolled < DEMO_START:
                enrolled = served
            company = p.enterprise(unit, enrolled, large=False, new=True, keep=False)
            key = f"new_enterprise_service:{company.key}"
            method = weighted(rng, (("online_push", 35), ("handbook", 20), ("training", 20), ("on_site", 15), ("purchased_service", 10)))
            p.open(key, "NewEnterpriseServiceProvided", served, {"unit": unit, "enterprise_id": Ref(company.key), "method": method,
                                                                 "content": NEW_SERVICE[method]}, unit)
            if rng.random() < 0.08:
                m = rng.choice(("on_site", "training", "handbook"))
                p.add(key, "NewEnterpriseServiceFollowedUp", p.later(served, 30, 180), {"method": m, "content": NEW_SERVICE[m]}, unit)
            if rng.random() < 0.02:
                p.add(company.key, "EnterpriseDetailsAmended", p.later(served, 20, 200), {"contact_name": p.person()[0], "contact_phone": p.mobile()}, unit)


# -- P07 coordinators ----------------------------------------------------------------------

COORD_EMPLOYERS = ("人力资源和社会保障局劳动关系股", "总工会", "劳动保障服务站", "工业园区管委会", "企业家协会")
COORD_POSITIONS = ("人力资源部经理", "工会主席", "劳动保障站站长", "人事专员", "劳动关系协调员", "综合办主任")


def _education(rng: random.Random) -> str:
    return weighted(rng, (("bachelor", 45), ("junior_college", 33), ("postgraduate", 7), ("secondary_vocational", 9), ("senior_high", 6)))


def _person_data(p: Planner, unit: str, appointed: dt.date, employer: str, position: str) -> dict[str, Any]:
    name, gender = p.person()
    return {
        "unit": unit, "name": name, "gender": gender, "ethnicity": weighted(p.rng, ETHNICITIES),
        "id_number": p.id_number(gender), "employer": employer, "position": position,
        "education": _education(p.rng), "appointed_on": iso(appointed), "phone": p.mobile(),
    }


def coordinators(p: Planner, unit: str) -> None:
    rng = p.rng
    city = unit in CITY_BODIES
    golds = done(p, unit, "P07")
    plain = rng.randint(3, 6) if not city else (rng.randint(2, 4) if unit == "市总工会" else 0)
    people = [(year, True) for year, n in golds.items() for _ in range(n)] + [(None, False)] * plain
    for year, gold in people:
        if gold:
            registered = p.date(dt.date(year - 1, 10, 1) if year > 2021 else DEMO_START, dt.date(year, 4, 30))
        else:
            registered = p.date(DEMO_START, dt.date(2023, 6, 30))
        instructor = (unit == "市总工会") or rng.random() < 0.12
        if rng.random() < 0.5 and p.companies[unit]:
            company = rng.choice(p.companies[unit])
            employer, position = company.name, rng.choice(("人力资源部经理", "工会主席", "人事专员", "综合办主任"))
        else:
            employer = f"{PLACES[unit].prefixes[0]}{rng.choice(COORD_EMPLOYERS)}" if not city else unit.replace("市", "岳阳市", 1)
            position = "专职集体协商指导员" if instructor else rng.choice(COORD_POSITIONS)
        key = p.key("coordinator")
        appointed = registered - dt.timedelta(days=rng.randint(30, 1500))
        data = _person_data(p, unit, appointed, employer, position)
        data["full_time_bargaining_instructor"] = instructor
        p.open(key, "CoordinatorRegistered", registered, data, unit)
        d = registered
        certified = gold and not instructor or (not gold and rng.random() < 0.65)
        if certified:
            d = p.later(d, 30, 150)
            if gold and d >= dt.date(year, 10, 31):
                d = p.date(registered, dt.date(year, 10, 31))
            level = weighted(rng, (("level_4", 45), ("level_3", 38), ("level_2", 13), ("level_1", 4)))
            p.add(key, "CoordinatorCertified", d, {
                "level": level, "certificate_type": "skill_level_certificate",
                "certificate_no": f"S0000430600002{d:%y}{rng.randint(0, 999_999):06d}",
            }, "市人社局")
        if rng.random() < 0.05:
            p.add(key, "CoordinatorDetailsAmended", p.later(d, 30, 300), {"position": rng.choice(COORD_POSITIONS), "phone": p.mobile()}, unit)
        if gold:
            on = p.date(max(d + dt.timedelta(days=10), dt.date(year, 11, 15)), dt.date(year, 12, 25)) if year < 2023 else p.date(max(d, dt.date(2023, 9, 1)), dt.date(2023, 9, 25))
            p.add(key, "GoldCoordinatorSelected", on, {
                "year": year, "citation": f"{year}年度金牌劳动关系协调员：扎根基层，全年参与调处劳动争议{rng.randint(8, 60)}件，指导{rng.randint(3, 20)}家企业开展工资集体协商",
            }, "市人社局")


# -- P08 mediation bodies and mediators -----------------------------------------------------

def mediation(p: Planner, unit: str) -> None:
    rng = p.rng
    golds = done(p, unit, "P08")
    bodies = [(year, True) for year, n in golds.items() for _ in range(n)] + [(None, False)] * rng.randint(1, 3)
    for year, gold in bodies:
        registered = p.date(DEMO_START, dt.date(year, 5, 31) if gold else dt.date(2023, 6, 30))
        for attempt in range(20):  # names are unique in the register
            town = rng.choice(PLACES[unit].towns)
            nature = weighted(rng, (("township_street_center", 5), ("enterprise_committee", 3), ("industry", 1), ("regional", 1), ("people_mediation", 1)))
            if nature == "enterprise_committee" and not p.companies[unit]:
                nature = "township_street_center"
            name = {
                "enterprise_committee": lambda: f"{rng.choice(p.companies[unit]).name}劳动争议调解委员会",
                "township_street_center": lambda: f"{town}劳动人事争议调解中心",
                "industry": lambda: f"{PLACES[unit].prefixes[0]}{rng.choice(('建筑业', '商贸业', '物流业', '餐饮业'))}劳动争议调解委员会",
                "regional": lambda: f"{PLACES[unit].prefixes[0]}{rng.choice(('工业园', '高新区', '产业园'))}区域性劳动争议调解委员会",
                "people_mediation": lambda: f"{town}人民调解委员会劳动争议调解室",
            }[nature]()
            if name not in p.names:
                break
        p.names.add(name)
        key = p.key("mediation_body")
        established = dt.date(rng.randint(2010, 2020), rng.randint(1, 12), rng.randint(1, 28))
        established = min(established, registered)
        head, _ = p.person()
        p.open(key, "MediationBodyRegistered", registered, {
            "unit": unit, "township": town, "name": name, "nature": nature, "address": p.address(unit),
            "established_on": iso(established), "head": head, "mediator_count": rng.randint(3, 12),
            "contact_name": p.person()[0], "contact_phone": p.landline() if rng.random() < 0.5 else p.mobile(),
        }, unit)
        d = registered
        for _ in range(rng.choice((0, 1, 2, 2, 3))):
            d2 = p.later(registered, 1, 120)
            m = p.key("mediator")
            appointed = d2 - dt.timedelta(days=rng.randint(10, 2000))
            data = _person_data(p, unit, appointed, name, rng.choice(("专职调解员", "兼职调解员", "调解委员会主任", "调解员")))
            data["mediation_body_id"] = Ref(key)
            p.open(m, "MediatorRegistered", d2, data, unit)
            if rng.random() < 0.05:
                p.add(m, "MediatorDeregistered", p.later(d2, 100, 600), {"reason": rng.choice(("工作调动", "退休", "本人申请辞去调解员职务"))}, unit)
        if gold:
            on = p.date(dt.date(year, 11, 1), dt.date(year, 12, 25)) if year < 2023 else p.date(dt.date(2023, 9, 1), dt.date(2023, 9, 25))
            p.add(key, "GoldMediationBodySelected", max(on, d), {
                "year": year, "citation": f"{year}年度金牌劳动人事争议调解组织：全年受理劳动争议{rng.randint(20, 160)}件，调解成功率{rng.randint(72, 96)}%",
            }, "市人社局")


# -- P09 social organisations ---------------------------------------------------------

def social_organisations(p: Planner, unit: str) -> None:
    rng = p.rng
    golds = done(p, unit, "P09")
    orgs = [(year, True) for year, n in golds.items() for _ in range(n)] + [(None, False)] * rng.randint(0, 2)
    for year, gold in orgs:
        registered = p.date(DEMO_START, dt.date(2021, 2, 26)) if rng.random() < 0.75 else p.date(dt.date(2021, 3, 1), dt.date(2022, 6, 30))
        if gold:
            registered = min(registered, dt.date(year, 6, 30))
        nature = weighted(rng, (("social_group", 6), ("social_service_agency", 4)))
        if nature == "social_group":
            name = f"{PLACES[unit].prefixes[0]}{rng.choice(('劳动关系协调促进会', '人力资源服务行业协会', '企业联合会', '职工服务协会'))}"
        else:
            name = f"{PLACES[unit].prefixes[0]}{rng.choice(TRADE_NAMES)}{rng.choice(('社会工作服务中心', '职工法律服务中心', '劳动关系事务所'))}"
        while name in p.names:
            name = f"{PLACES[unit].prefixes[-1]}{rng.choice(TRADE_NAMES)}社会工作服务中心"
        p.names.add(name)
        key = p.key("social_organisation")
        established = min(registered, dt.date(rng.randint(2012, 2020), rng.randint(1, 12), rng.randint(1, 28)))
        p.open(key, "SocialOrganisationRegistered", registered, {
            "unit": unit, "township": rng.choice(PLACES[unit].towns), "name": name, "nature": nature,
            "address": p.address(unit), "established_on": iso(established), "head": p.person()[0],
            "coordinator_count": rng.randint(1, 8), "contact_name": p.person()[0], "contact_phone": p.mobile(),
        }, unit, "union")
        if gold:
            on = p.date(dt.date(year, 11, 1), dt.date(year, 12, 25)) if year < 2023 else p.date(dt.date(2023, 9, 1), dt.date(2023, 9, 25))
            p.add(key, "GoldSocialOrganisationSelected", on, {
                "year": year, "citation": f"{year}年度金牌协调劳动关系社会组织：为中小企业和职工提供劳动关系公共服务{rng.randint(30, 300)}次",
            }, "市总工会", "union")


# -- P10 wage arrears ------------------------------------------------------------------------

ARREARS_CHANNELS = (("hotline_12345", 30), ("national_arrears_platform", 18), ("provincial_online", 8), ("inspection_complaint", 16),
                    ("inspection_report", 6), ("letters_visits", 7), ("media", 2), ("inspection_found", 6), ("early_warning", 3),
                    ("transferred", 2), ("union", 2))
CITY_CHANNELS = frozenset({"national_arrears_platform", "provincial_online", "transferred", "media"})
PROJECTS = ("安置小区{n}期建设项目", "{road}道路提质改造工程", "第{n}中学教学楼新建项目", "{trade}花园{n}期项目", "标准化厂房建设项目",
            "农村公路安防工程", "人民医院住院大楼项目", "污水处理厂提标改造工程")


def arrears(p: Planner, unit: str) -> None:
    rng = p.rng
    published = done(p, unit, "P10")
    plain = rng.randint(6, 11) if unit in DISTRICTS else rng.randint(3, 5)
    cases: list[tuple[str, int | None]] = [("published", y) for y, n in published.items() for _ in range(n)]
    cases += [("closed", None)] * plain
    for how, year in cases:
        if how == "published":
            received = p.date(dt.date(year, 1, 5), dt.date(year, 4, 30)) if year > 2021 else p.date(DEMO_START, dt.date(2021, 4, 30))
        else:
            received = p.date(DEMO_START, dt.date(2023, 6, 30))
        _arrears_case(p, unit, received, how, year)


def open_arrears(p: Planner) -> None:
    """A few cases the programme ends with: overdue, within their deadline, just received, a historic one."""
    rng = p.rng
    districts = list(DISTRICTS)
    rng.shuffle(districts)
    _arrears_case(p, districts[0], p.date(dt.date(2022, 3, 1), dt.date(2022, 6, 30)), "historic", None)
    for unit in districts[1:4]:
        _arrears_case(p, unit, p.date(dt.date(2023, 6, 1), dt.date(2023, 8, 10)), "overdue", None)
    for unit in districts[4:7]:
        _arrears_case(p, unit, p.date(dt.date(2023, 9, 10), dt.date(2023, 9, 20)), "within", None)
    for unit in districts[7:9]:
        _arrears_case(p, unit, p.date(dt.date(2023, 9, 22), dt.date(2023, 9, 29)), "received", None)


def _arrears_case(p: Planner, unit: str, received: dt.date, how: str, year: int | None) -> None:
    rng = p.rng
    construction = rng.random() < 0.65
    place = unit if unit in DISTRICTS else rng.choice(DISTRICTS)
    if construction:
        employer = p.company_name(place, rng.choice(("建筑工程", "建设工程", "劳务", "路桥工程")))
        project = rng.choice(PROJECTS).format(n=rng.randint(1, 3), road=rng.choice(PLACES[place].roads), trade=rng.choice(TRADE_NAMES))
        project = f"{PLACES[place].prefixes[0]}{project}"
        owed = rng.randint(30, 2500) * 1000 + rng.choice((0, 0, 500, 800))
        workers = rng.randint(6, 150)
    else:
        _, biz, _, _ = rng.choice([b for b in BUSINESSES if b[0] in "CHFO"])
        employer, project = p.company_name(place, biz), None
        owed = rng.randint(8, 300) * 1000 + rng.randint(0, 999)
        workers = rng.randint(2, 40)
    if how == "published":
        owed, workers = max(owed, 180_000), max(workers, 20)
    channel = weighted(rng, ARREARS_CHANNELS)
    months = rng.randint(2, 8)
    data = {
        "unit": unit, "channel": channel, "employer_name": employer, "amount_owed": f"{owed}.00", "workers_affected": workers,
        "description": f"{workers}名{'农民工' if construction else '职工'}反映{employer}拖欠{months}个月工资共计{owed}元" + (f"（{project}）" if project else ""),
    }
    if rng.random() < 0.7:
        data["employer_uscc"] = p.uscc(place, new=False)
    if project:
        data["project"] = project
    key = p.key("arrears_case")
    city = unit in CITY_BODIES or channel in CITY_CHANNELS
    p.open(key, "ArrearsClueReceived", received, data, "市人社局" if city else unit, "inspector")
    if how == "received":
        return
    assigned = p.later(received, 0, 3)
    to_unit = unit if unit in DISTRICTS else place
    days = rng.choice((5, 10, 15, 20)) if how != "overdue" else rng.choice((10, 15))
    deadline = assigned + dt.timedelta(days=days * 7 // 5 + 1)
    if how == "within":
        deadline = max(deadline, dt.date(2023, 10, 20))
    p.add(key, "ArrearsCaseAssigned", assigned, {"to_unit": to_unit, "deadline": iso(deadline), "working_days": days}, "市人社局" if city else unit, "inspector")
    d = assigned
    if how in ("overdue", "historic") or rng.random() < 0.3:
        d = p.later(d, 3, days + 10)
        p.add(key, "ArrearsCaseSupervised", d, {"supervisor": "岳阳市根治拖欠农民工工资工作领导小组办公室", "note": "挂牌督办，要求限期办结并报送处置结果"}, "市人社局", "inspector")
    if construction and rng.random() < 0.6 or how in ("published", "historic"):
        d = p.later(d, 2, 15)
        p.add(key, "EmployerInterviewed", d, {"interviewee": f"{p.person()[0]}（{'项目负责人' if project else '法定代表人'}）",
                                              "note": "约谈用人单位及建设单位，责令限期足额支付拖欠工资"}, to_unit, "inspector")
    if how == "overdue":
        if rng.random() < 0.5:
            d = p.later(deadline, 1, 20)
            part = owed * rng.randint(20, 50) // 100
            p.add(key, "WagesRecovered", d, {"amount": f"{part}.00", "workers": max(1, workers * part // owed)}, to_unit, "inspector")
        return
    if how == "within":
        return
    if how == "historic":
        d = p.later(d, 30, 90)
        part = owed * rng.randint(30, 60) // 100
        p.add(key, "WagesRecovered", d, {"amount": f"{part}.00", "workers": max(1, workers * part // owed)}, to_unit, "inspector")
        p.add(key, "ArrearsCaseSupervised", p.later(d, 90, 200), {"supervisor": "岳阳市根治拖欠农民工工资工作领导小组办公室",
                                                                   "note": "历史积案，再次督办，列入动态清零清单"}, "市人社局", "inspector")
        return
    # closed (and maybe published)
    kind = "full" if how == "published" else weighted(rng, (("full", 75), ("partial", 15), ("none", 10)))
    recovered, paid_workers = 0, 0
    if kind != "none":
        target = owed if kind == "full" else owed * rng.randint(30, 80) // 100
        instalments = rng.randint(1, 3)
        for i in range(instalments):
            amount = target - recovered if i == instalments - 1 else (target - recovered) * rng.randint(30, 60) // 100
            if amount <= 0:
                continue
            ws = max(1, workers - paid_workers) if i == instalments - 1 else max(1, (workers - paid_workers) // 2)
            d = p.later(d, 5, 40)
            p.add(key, "WagesRecovered", d, {"amount": f"{amount}.00", "workers": ws}, to_unit, "inspector")
            recovered += amount
            paid_workers += ws
    if kind == "full":
        outcome = weighted(rng, (("wages_recovered", 8), ("payment_ordered", 1), ("penalised", 1)))
    elif kind == "partial":
        outcome = weighted(rng, (("advance_paid", 3), ("court_enforcement", 2), ("referred_to_police", 2), ("blacklisted", 1), ("transferred_out", 2)))
    else:
        outcome = weighted(rng, (("unfounded", 5), ("transferred_out", 3), ("case_cancelled", 1)))
    closed = p.later(d, 1, 15)
    p.add(key, "ArrearsCaseClosed", closed, {"outcome": outcome, "note": {
        "wages_recovered": "拖欠工资已全部支付到位，农民工签字确认", "payment_ordered": "下达劳动保障监察责令支付决定书，用人单位已履行",
        "penalised": "已全部支付，并依法给予行政处罚", "advance_paid": "动用应急周转金先行垫付，依法向用人单位追偿",
        "court_enforcement": "用人单位逾期不履行，已申请人民法院强制执行", "referred_to_police": "涉嫌拒不支付劳动报酬罪，已移送公安机关",
        "blacklisted": "列入拖欠农民工工资失信联合惩戒对象名单", "transferred_out": "属劳动争议，已告知通过仲裁途径解决",
        "unfounded": "经调查核实，反映情况不属实", "case_cancelled": "情节轻微且已改正，撤销立案",
    }[outcome]}, to_unit, "inspector")
    if how == "published":
        on = p.later(closed, 7, 60)
        if programme_year(iso(on)) != year:  # published in the year it counts for
            on = max(closed, dt.date(year, 12, 28))
        p.add(key, "TypicalCasePublished", on, {
            "title": f"{unit}依法处置{employer}拖欠{workers}名农民工工资案",
            "summary": f"接到线索后当日交办，约谈企业负责人并督促整改，{(closed - received).days}天内为{workers}名农民工追回工资{owed}元。",
            "channel": rng.choice(("岳阳市人社局门户网站“根治欠薪”专栏", "微信公众号“岳阳人社”", "《岳阳日报》")),
        }, unit, "inspector")


# -- Annex 2 measures: progress reports ------------------------------------------------------

def measure_reports(p: Planner) -> None:
    rng = p.rng
    weak = set(p.notes["weak_reporters"])
    late: list[dict] = []
    missing: list[dict] = []
    for command in measure_commands():
        m = command["data"]
        key = f"measure:{m['code']}"
        window_start = max(dt.date.fromisoformat(m["window_start"]), DEMO_START)
        if m["cadence"] == "yearly":
            due_day = m.get("yearly_due", "12-31")
            periods = [(y, min(dt.date.fromisoformat(f"{y}-{due_day}"), dt.date.fromisoformat(m["window_end"])))
                       for y in range(int(m["window_start"][:4]), int(m["window_end"][:4]) + 1)]
            periods = [(y, due) for y, due in periods if due >= dt.date.fromisoformat(m["window_start"])]
        else:
            periods = [(None, dt.date.fromisoformat(m.get("deadline") or m["window_end"]))]
        for unit in m["responsible_units"]:
            for period, due in periods:
                opens = max(window_start, dt.date(period, 1, 1)) if period else window_start
                w = 0.12 if unit in weak else 0.012
                roll = rng.random()
                if due < dt.date(2023, 7, 1) and roll < w:
                    fate = "late"  # reported done after the due date
                elif roll > 1 - w / 2:
                    fate = "missing"  # never reported done: overdue
                else:
                    fate = "on_time"
                data = {"unit": unit}
                if period is not None:
                    data["period"] = period
                if m["cadence"] == "continuous" and (due - opens).days > 400 and rng.random() < 0.5:
                    mid = p.date(opens + dt.timedelta(days=120), opens + dt.timedelta(days=400))
                    p.add(key, "MeasureProgressReported", mid, {**data, "done": False, "note": f"{unit}正在推进：{m['task']}，已完成阶段性工作"}, unit)
                if fate == "missing":
                    if rng.random() < 0.4:
                        on = p.date(max(opens, due - dt.timedelta(days=60)), due)
                        p.add(key, "MeasureProgressReported", on, {**data, "done": False, "note": f"{unit}：{m['task']}进度滞后，正在推进"}, unit)
                    missing.append({"code": m["code"], "unit": unit, "period": period, "due": iso(due)})
                    continue
                if fate == "late":
                    on = p.date(due + dt.timedelta(days=10), due + dt.timedelta(days=80))
                    late.append({"code": m["code"], "unit": unit, "period": period, "due": iso(due), "reported": iso(on)})
                else:
                    lo = max(opens, due - dt.timedelta(days=90 if m["cadence"] != "once" else 150))
                    on = p.date(lo, min(due, p.end))
                p.add(key, "MeasureProgressReported", on, {**data, "done": True, "note": f"{unit}已完成：{m['task']}"}, unit)
    p.notes["measures_late"] = late
    p.notes["measures_missing"] = missing


# -- the run -------------------------------------------------------------------------------------

def plan_programme(seed: int, end: dt.date) -> Planner:
    p = Planner(seed, end)
    plan_achievement(p)
    behind = {(b["unit"], b["plan"]) for b in p.notes["behind"]}
    fails = p.notes["p03_fails"]
    retry_unit = p.rng.choice([u for u in DISTRICTS if u not in fails and (u, "P03") in p.cells and p.cells[(u, "P03")].total == 3])
    for unit in UNITS:
        key_employers(p, unit, extra_unvisited=(unit, "P02") in behind)
        cultivation(p, unit, fails.get(unit, 0), 1 if unit == retry_unit else 0)
        wage_guidance(p, unit)
    for unit in UNITS:
        if (unit, "P01") in p.cells:  # the districts and 市总工会 nominate models
            bargaining(p, unit)
        if (unit, "P04") in p.cells:
            cooperation_units(p, unit, extra_unawarded=(unit, "P04") in behind)
            forums(p, unit)
        new_enterprise_services(p, unit)
        coordinators(p, unit)
        if unit in DISTRICTS:
            mediation(p, unit)
            social_organisations(p, unit)
        if unit in DISTRICTS or unit == "市人社局":  # 根治欠薪: the bureau's 根治办 and the districts
            arrears(p, unit)
    salary_survey(p)
    open_arrears(p)
    measure_reports(p)
    return p


def _read(url: str, query, *args):
    """A read-side query from this synchronous script, on an event loop of its own."""
    async def go():
        db = connect(url)
        try:
            return await query(db, *args)
        finally:
            await db.close()

    return asyncio.run(go())


def check_ledger_empty(hexie: Hexie) -> None:
    """Refuse unless the ledger holds nothing but what `hexie init` records."""
    async def first_page(db, after: int) -> list[dict]:
        return await history.read_log(db, after, 500)

    after = 0
    while True:
        page = _read(hexie.database_url, first_page, after)
        if not page:
            return
        for event in page:
            if event["type"] not in INIT_TYPES:
                request = event.get("request_id") or ""
                what = (f"demo data (seed {request.split('-')[1]})" if request.startswith("demo-")
                        else f"programme data ({event['type']} of a {event['kind']} case, by {event['actor']})")
                raise DemoRefused(
                    f"the ledger already holds {what} at position {event['position']}; the demo only runs on an empty"
                    " ledger or one holding nothing but the targets and measures `hexie init` records"
                    " / 账本中已有业务数据，演示数据只能写入空账本"
                )
        after = page[-1]["position"]


def run_demo(hexie: Hexie, seed: int = 2023, progress: Progress | None = None) -> dict[str, Any]:
    """Append a whole demo programme through the service layer; returns a summary (see the module docstring)."""
    started = time.perf_counter()
    check_ledger_empty(hexie)
    end = min(PROGRAMME_END, dt.date.fromisoformat(today()))
    plan = plan_programme(seed, end)
    commands = sorted(plan.commands, key=lambda c: (c.on, c.seq))
    init = [*target_commands(), *measure_commands()]
    total = len(init) + len(commands)
    report = progress or (lambda done, total, stage: None)

    # 1. Annex 1 targets and Annex 2 measures, exactly as `hexie init` records them.
    recorded = present = 0
    context = Context(actor=INIT_ACTOR)
    report(0, total, "targets and measures")
    for command in init:
        # Look first: on PostgreSQL a refused insert (DuplicateCase) still uses up a notification id.
        if _recorded(hexie, command):
            present += 1
            continue
        try:
            hexie.open_case(command["type"], command["data"], context)
            recorded += 1
        except DuplicateCase:
            present += 1
    report(len(init), total, "targets and measures")

    # 2. The programme, in business-date order.
    ids: dict[str, UUID] = {f"measure:{c['data']['code']}": Measure.create_id(c["data"]["code"]) for c in init if c["type"] == "MeasureDefined"}
    cases: Counter = Counter()
    events: Counter = Counter()
    types: Counter = Counter()
    for n, c in enumerate(commands, 1):
        data = {k: (str(ids[v.key]) if isinstance(v, Ref) else v) for k, v in c.data.items()}
        data["occurred_on"] = iso(c.on)
        context = Context(actor=c.actor, actor_unit=c.actor_unit, request_id=f"demo-{seed}-{n:05d}")
        try:
            if c.opens:
                receipt = hexie.open_case(c.type, data, context)
                ids[c.key] = receipt.case_id
                cases[receipt.kind] += 1
            else:
                receipt = hexie.append(ids[c.key], c.type, data, context)
        except Exception as e:
            raise DemoFailed(f"demo command {n} ({c.type} on {c.key}, {iso(c.on)}) was refused: {e}") from e
        events[receipt.kind] += 1
        types[c.type] += 1
        if n % 100 == 0:
            report(len(init) + n, total, c.on.strftime("%Y-%m"))
    report(total, total, "done")

    behind = plan.notes["behind"]
    open_cases = _open_arrears(plan)
    return {
        "seed": seed,
        "programme": {"from": iso(commands[0].on), "to": iso(commands[-1].on)},
        "init": {"recorded": recorded, "already_present": present},
        "cases": dict(sorted(cases.items())),
        "events": dict(sorted(events.items())),
        "event_types": dict(sorted(types.items())),
        "total_events": sum(events.values()) + recorded,
        "behind_target": behind,
        "above_target": plan.notes["ahead"],
        "p03_below_quality_bar": [{"unit": u, "failed": n, "of": plan.cells[(u, "P03")].total} for u, n in plan.notes["p03_fails"].items()],
        "arrears_open": open_cases,
        "measures_late": plan.notes["measures_late"],
        "measures_missing": plan.notes["measures_missing"],
        "seconds": round(time.perf_counter() - started, 1),
    }


def _recorded(hexie: Hexie, command: dict[str, Any]) -> bool:
    """Whether the target or measure a `hexie init` command records is already in the ledger."""
    data = command["data"]
    case_id = Target.create_id(data["unit"], data["plan"]) if command["type"] == "TargetAssigned" else Measure.create_id(data["code"])
    try:
        hexie.get_case(case_id)
    except CaseNotFound:
        return False
    return True


def _open_arrears(plan: Planner) -> dict[str, Any]:
    """How many arrears cases the programme ends with open, and how many of those are past their deadline."""
    state: dict[str, dict[str, Any]] = {}
    for c in plan.commands:
        if c.key.startswith("arrears_case:"):
            s = state.setdefault(c.key, {"open": True, "deadline": None})
            if c.type == "ArrearsCaseAssigned":
                s["deadline"] = c.data["deadline"]
            elif c.type == "ArrearsCaseClosed":
                s["open"] = False
    still = [s for s in state.values() if s["open"]]
    end = iso(plan.end)
    return {
        "total": len(state),
        "open": len(still),
        "open_past_deadline_at_programme_end": sum(1 for s in still if s["deadline"] and s["deadline"] < end),
        "open_unassigned": sum(1 for s in still if s["deadline"] is None),
    }
