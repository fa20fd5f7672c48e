"""Enterprise size (大型/中型/小型/微型) per 统计上大中小微型企业划分办法（2017）(国统字〔2017〕213号).

The rules combine 从业人员 (headcount) with 营业收入 or 资产总额 by industry. The ledger keeps
headcount and the GB/T 4754 门类, not revenue, so a size is either recorded with the
enterprise (`size_class`, which always wins) or derived from headcount alone where the
rules give a headcount bound for the 门类 — an approximation the reports say they use.
Where the rules judge the 门类 by revenue or assets only (A 农林牧渔, E 建筑, J 金融, K 房地产开发,
T 国际组织), no size is derived.

Headcount bounds (people) per 门类: large from, medium from, small from; below that micro.
For 门类 the rules split (F 批发/零售, G 交通运输/仓储/邮政, I 信息传输/软件), the bound of the
larger sub-industry of Yueyang's enterprises is used: 零售 for F, 交通运输 for G, 信息传输 for I.
"""

from __future__ import annotations

from .vocabulary import SIZE_CLASS  # noqa: F401 — the value list: large, medium, small, micro

# 门类 -> (large, medium, small): the least headcount of each size.
HEADCOUNT_BOUNDS: dict[str, tuple[int, int, int]] = {
    **dict.fromkeys("BCD", (1000, 300, 20)),  # 工业
    "F": (300, 50, 10),  # 零售业 (批发业: 200/20/5)
    "G": (1000, 300, 20),  # 交通运输业 (仓储 200/100/20, 邮政 1000/300/20)
    "H": (300, 100, 10),  # 住宿业、餐饮业
    "I": (2000, 100, 10),  # 信息传输业
    **dict.fromkeys("LMNOPQRS", (300, 100, 10)),  # 租赁和商务服务业、其他未列明行业
}


def size_class(industry: str | None, headcount: int | None, recorded: str | None = None) -> str | None:
    """The recorded size, else the one headcount gives in the enterprise's 门类, else None."""
    if recorded is not None:
        return recorded
    bounds = HEADCOUNT_BOUNDS.get(industry or "")
    if bounds is None or headcount is None:
        return None
    large, medium, small = bounds
    return "large" if headcount >= large else "medium" if headcount >= medium else "small" if headcount >= small else "micro"
