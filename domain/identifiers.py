"""National identifiers with check characters, and how personal data is masked.

统一社会信用代码 (GB 32100-2015) and 公民身份号码 (GB 11643-1999) carry a check
character computed from the others; a typo almost always breaks it, so both are
checked wherever they enter the system.
"""

from __future__ import annotations

import datetime as dt
import re

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"[1-9]\d{16}[\dX]")


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid 统一社会信用代码, or None if it is."""
    if not isinstance(code, str) or not _USCC_SHAPE.fullmatch(code):
        return "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V） / must be 18 digits or capital letters (no I, O, Z, S, V)"
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误 / check character does not match (GB 32100)"
    return None


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def id_number_problem(number: str) -> str | None:
    """Why `number` is not a valid 18-digit 公民身份号码, or None if it is."""
    if not isinstance(number, str) or not _ID_SHAPE.fullmatch(number):
        return "身份证号码应为18位，末位可为X / must be 18 characters, the last a digit or X"
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效 / the date of birth in it is not a date"
    if born.year < 1900 or born > dt.date.today():
        return "身份证号码中的出生日期无效 / the date of birth in it is not plausible"
    if id_check_char(number[:17]) != number[17]:
        return "身份证号码校验位错误 / check digit does not match (GB 11643)"
    return None


# What a person's sealed data reads as once their key is destroyed (`hexie erase-person`).
ERASED = "[已删除 erased]"

PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|[2-9]\d{6,7}")


def mask_id_number(number: str) -> str:
    """430602********123X: region and last four stay, the birth date goes."""
    if not number or number == ERASED:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678, 073*-***1948: the first three of a mobile and the last four digits stay."""
    if not phone or phone == ERASED:
        return phone
    digits = sum(c.isdigit() for c in phone)
    keep_head = 3 if digits >= 11 else 0
    out, seen = [], 0
    for c in phone:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= keep_head or seen > digits - 4 else "*")
        else:
            out.append(c)
    return "".join(out)


# Fields that hold personal data wherever they appear in an event or a state.
ID_FIELDS = frozenset({"id_number"})
PHONE_FIELDS = frozenset({"phone", "contact_phone"})


def has_personal_data(value) -> bool:
    if isinstance(value, dict):
        return any((k in ID_FIELDS or k in PHONE_FIELDS) and v for k, v in value.items()) or any(
            has_personal_data(v) for v in value.values())
    if isinstance(value, list):
        return any(has_personal_data(v) for v in value)
    return False


def mask_personal(value):
    """A copy of `value` (dicts, lists, scalars) with personal data masked."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ID_FIELDS and isinstance(v, str):
                out[k] = mask_id_number(v)
            elif k in PHONE_FIELDS and isinstance(v, str):
                out[k] = mask_phone(v)
            else:
                out[k] = mask_personal(v)
        return out
    if isinstance(value, list):
        return [mask_personal(v) for v in value]
    return value
