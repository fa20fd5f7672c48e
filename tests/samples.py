"""Valid-looking identifiers for tests, computed with the real check characters."""

from __future__ import annotations

from hexie.domain.identifiers import id_check_char, uscc_check_char


def uscc(n: int) -> str:
    """The n-th test 统一社会信用代码 (91 = enterprise, 430600 = 岳阳市)."""
    body = f"91430600{n:09d}"
    return body + uscc_check_char(body)


def id_number(n: int, born: str = "19850412") -> str:
    body = f"430602{born}{n % 1000:03d}"
    return body + id_check_char(body)


def enterprise(n: int = 1, unit: str = "岳阳楼区", **changes) -> dict:
    data = {
        "name": f"岳阳测试企业{n}有限公司",
        "uscc": uscc(n),
        "unit": unit,
        "address": "岳阳市岳阳楼区青年中路1号",
        "industry": "C",
        "ownership": "private",
        "contact_name": "张三",
        "contact_phone": "13807301234",
        "headcount": 320,
        "newly_registered": False,
    }
    data.update(changes)
    return data
