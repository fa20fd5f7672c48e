"""Reading a spreadsheet cell as the API's value: 中文 labels or codes → codes, dates → ISO, …

`read(kind, raw)` returns `(value, None)` or `(None, Problem)`; a blank cell is `(None, None)`.
What is accepted (after Unicode NFKC, so full-width ９１４３…, （）and ：match their ASCII
forms, and with stray spaces, non-breaking and ideographic spaces and line breaks trimmed):

- value lists: the code (`male`, `01`, `C`) or the 中文 label (`男`, `汉族`, `制造业`), ignoring
  spaces and case; ethnicity also without 族 and as a number (`1` → `01`); industry also as
  `C 制造业` or a 小类 code `C3670`; a few common spellings (`大学本科`, `屈原管理区` …);
- dates: Excel dates, Excel serial numbers (also as text, as a CSV holds them: `44256`), and
  text `2021-03-01`, `2021/3/1`, `2021.3.1`, `2021年3月1日`, `20210301`; a month alone
  (`2019年9月`, `2019-09`) is read as its first day;
- counts: whole numbers, also `1,200`, `320人`;
- yes/no: 是/否, 有/无, Y/N, yes/no, true/false, 1/0, √/×;
- 身份证号码 and 统一社会信用代码: upper-cased, spaces removed; one Excel stored as a
  number has lost its last digits (Excel keeps 15) and is refused as such;
- free text keeps its own characters (a company's full-width brackets stay), trimmed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from hexie.domain.vocabulary import ENUMS, ETHNICITY, UNITS

from .forms import ANNEX7_PLANS


@dataclass(frozen=True)
class Problem:
    zh: str
    en: str
    rule: str = "invalid_cell"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_SPACE = re.compile(r"\s+")


def key(text: Any) -> str:
    """A header or label as compared: NFKC, no spaces or line breaks, lower case."""
    return _SPACE.sub("", nfkc(str(text))).lower()


def trim(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip(" \t\r\n\u00a0\u3000\ufeff")
        return value or None
    return value


# -- value lists -------------------------------------------------------------------------

ALIASES: dict[str, dict[str, str]] = {
    "unit": {"岳阳经济技术开发区": "经开区", "经济技术开发区": "经开区", "岳阳经开区": "经开区", "屈原管理区": "屈原区",
             "南湖新区管委会": "南湖新区", "岳阳市人社局": "市人社局", "市人力资源和社会保障局": "市人社局",
             "岳阳市人力资源和社会保障局": "市人社局", "岳阳市总工会": "市总工会", "岳阳市工商联": "市工商联",
             "市工商业联合会": "市工商联"},
    "gender": {"男性": "male", "女性": "female"},
    "education": {"大学本科": "bachelor", "硕士": "postgraduate", "博士": "postgraduate", "硕士研究生": "postgraduate",
                  "大学专科": "junior_college", "专科": "junior_college", "中专": "secondary_vocational",
                  "技校": "secondary_vocational", "职高": "secondary_vocational", "中等专业学校": "secondary_vocational",
                  "初中": "junior_high_or_below", "小学": "junior_high_or_below"},
    "ownership": {"国有企业": "state_owned", "集体企业": "collective", "私营企业": "private", "民营": "private",
                  "民营企业": "private", "外资": "foreign_invested", "外资企业": "foreign_invested",
                  "港澳台资": "hmt_invested", "个体": "individual_business"},
    "compensation_standard": {"n": "statutory_n", "n+1": "n_plus_1", "2n": "double_n_unlawful"},
}
for _label in UNITS:
    ALIASES["unit"]["岳阳市" + _label] = _label
for _code, _label in ETHNICITY.items():
    if _label.endswith("族") and len(_label) > 2:
        ALIASES.setdefault("ethnicity", {})[_label[:-1]] = _code
PLAN_LIST = {**{code: label for code, label in ANNEX7_PLANS.items()}}
_PLAN_ALIASES = {"新企用工服务": "P06", "和谐企业培育计划": "P03", "企业薪酬指引计划": "P05", "新企业用工服务计划": "P06"}


def _lookup(values: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
    table = {}
    for code, label in values.items():
        table[key(code)] = code
        table[key(label)] = code
    for alias, code in aliases.items():
        table.setdefault(key(alias), code)
    return table


_TABLES = {name: _lookup(codes, ALIASES.get(name, {})) for name, codes in ENUMS.items()}
_TABLES["plan"] = _lookup(PLAN_LIST, _PLAN_ALIASES)
_INDUSTRY_PREFIX = re.compile(r"^([a-t])(?:\d{2,4}|[\s\-—:：、.]*(\D.*))$", re.I)


def labels(kind: str) -> dict[str, str]:
    """code -> label of a value list (what drop-downs offer)."""
    return PLAN_LIST if kind == "plan" else ENUMS[kind]


def _choice(kind: str, raw: Any) -> tuple[Any, Problem | None]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(int(raw)).zfill(2) if kind == "ethnicity" and float(raw).is_integer() else str(raw)
    table = _TABLES[kind]
    k = key(raw)
    if k in table:
        return table[k], None
    if kind == "ethnicity" and k.isdigit() and k.zfill(2) in table:
        return table[k.zfill(2)], None
    if kind == "industry" and (m := _INDUSTRY_PREFIX.match(k)):
        letter = m.group(1).upper()  # `C3670`, or `C 制造业` when the label is the letter's own
        if m.group(2) is None or key(ENUMS["industry"][letter]) == m.group(2):
            return letter, None
    options = list(labels(kind).values())
    shown = "、".join(options) if len(options) <= 20 else "、".join(options[:8]) + " …（见模板下拉列表）"
    what = {"unit": "县市区/单位", "plan": "计划"}.get(kind, "可选值")
    return None, Problem(f"“{raw}”不是有效的{what}，应为：{shown}",
                         f"{raw!r} is not one of the allowed values ({len(options)}; see the template's drop-down)",
                         "unknown_unit" if kind == "unit" else "unknown_value")


# -- dates, numbers, yes/no -----------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)
_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")


def _serial(number: float) -> dt.date | None:
    if 1 <= number < 2958466:  # Excel's range: 1900-01-01 … 9999-12-31
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def read_date(raw: Any) -> tuple[str | None, Problem | None]:
    day: dt.date | None = None
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        day = _serial(raw)
    elif isinstance(raw, str):
        text = nfkc(raw).strip().lower()
        try:
            if m := _FULL_DATE.match(text):
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            elif m := _COMPACT.match(text):
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            elif m := _MONTH.match(text):
                day = dt.date(int(m[1]), int(m[2]), 1)
            elif _SERIAL.match(text):
                day = _serial(float(text))
        except ValueError:
            day = None
    if day is None or not 1900 <= day.year <= 2100:
        return None, _bad_date(raw)
    return day.isoformat(), None


def _bad_date(raw: Any) -> Problem:
    return Problem(f"“{raw}”不是有效日期，请写作 YYYY-MM-DD（如 2021-03-01）",
                   f"{str(raw)!r} is not a date: write YYYY-MM-DD, e.g. 2021-03-01", "invalid_date")


_COUNT = re.compile(r"^(\d+)(?:\.0+)?(?:人|户|名|家|个)?$")


def read_count(raw: Any) -> tuple[int | None, Problem | None]:
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, int):
        return raw, None
    if isinstance(raw, float) and raw.is_integer():
        return int(raw), None
    text = _SPACE.sub("", nfkc(str(raw))).replace(",", "")
    if m := _COUNT.match(text):
        return int(m[1]), None
    return None, Problem(f"“{raw}”应为不小于0的整数", f"{str(raw)!r} must be a whole number, 0 or more", "invalid_number")


_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "对", "已结清", "是的"}
_NO = {"否", "无", "n", "no", "false", "0", "×", "✗", "x", "未结清", "没有"}


def read_bool(raw: Any) -> tuple[bool | None, Problem | None]:
    if isinstance(raw, bool):
        return raw, None
    k = key(raw)
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw), None
    if k in _YES:
        return True, None
    if k in _NO:
        return False, None
    return None, Problem(f"“{raw}”应填“是”或“否”", f"{str(raw)!r} must be 是 (yes) or 否 (no)", "invalid_boolean")


# -- identifiers and phones --------------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


def read_identifier(raw: Any, what: str) -> tuple[str | None, Problem | None]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return None, Problem(f"{what}被存为数字，Excel 只保留15位有效数字，末几位已丢失；请将该列设为文本格式后重新填写",
                             f"{what} is stored as a number: Excel keeps 15 digits, so the last ones are lost;"
                             " format the column as text and enter it again", "number_stored_identifier")
    return _SPACE.sub("", nfkc(str(raw))).upper().replace("-", ""), None


def read_phone(raw: Any) -> tuple[str | None, Problem | None]:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw), None
    text = _DASHES.sub("-", _SPACE.sub("", nfkc(str(raw))))
    return text.replace("(", "").replace(")", "-").strip("-"), None


def read_year(raw: Any) -> tuple[int | None, Problem | None]:
    text = nfkc(str(raw)).strip().removesuffix("年") if isinstance(raw, str) else raw
    value, problem = read_count(text)
    if problem or not 2020 <= value <= 2030:
        return None, Problem(f"“{raw}”不是有效年度（2020–2030）", f"{str(raw)!r} is not a year between 2020 and 2030",
                             "invalid_year")
    return value, None


_SEPARATORS = re.compile(r"[、，,；;/\n]+")


def read_policies(raw: Any) -> tuple[list[str] | None, Problem | None]:
    codes: list[str] = []
    for part in _SEPARATORS.split(nfkc(str(raw))):
        part = part.strip()
        if not part or key(part) in ("无", "没有", "未享受", "-"):
            continue
        code, problem = _choice("stability_policy", part)
        if problem:
            return None, problem
        if code not in codes:
            codes.append(code)
    return codes, None


def read(kind: str, raw: Any) -> tuple[Any, Problem | None]:
    """The API's value for a cell of `kind` (see forms.Column.kind)."""
    raw = trim(raw)
    if raw is None:
        return None, None
    if kind in ("text", "seq"):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return (raw if isinstance(raw, str) else str(raw)), None
    if kind == "date":
        return read_date(raw)
    if kind == "count":
        return read_count(raw)
    if kind == "year":
        return read_year(raw)
    if kind == "bool":
        return read_bool(raw)
    if kind == "uscc":
        return read_identifier(raw, "统一社会信用代码")
    if kind == "id_number":
        return read_identifier(raw, "身份证号码")
    if kind == "phone":
        return read_phone(raw)
    if kind == "policies":
        return read_policies(raw)
    if kind in _TABLES:
        return _choice(kind, raw)
    raise ValueError(f"no cell kind {kind!r}")
