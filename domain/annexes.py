"""The seed's registers (Annexes 3–8): titles and column headers, exactly as 岳人社发〔2021〕14号 prints them.

Stated once here; the register exports (`projections.registers`), the import forms and the
templates (`scripts.sheets`) all read them, so what a clerk downloads and what they fill in
back carry the same text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Annex:
    number: int
    title: str  # the seed's title (the unit is written before it when a register is for one unit)
    columns: tuple[str, ...]  # one header per column, in the seed's order
    # Annex 8 only: the parent header the seed merges over its last columns.
    parent: str | None = None
    parent_span: int = 0
    short_title: str | None = None  # where the title is too long for a worksheet's name


    @property
    def name(self) -> str:
        return f"annex{self.number}"

    @property
    def sheet_title(self) -> str:
        """附件N + title: a worksheet's name (at most 31 characters)."""
        return f"附件{self.number} {self.short_title or self.title}"

    @property
    def header_rows(self) -> list[list[str | None]]:
        if self.parent is None:
            return [list(self.columns)]
        common = len(self.columns) - self.parent_span
        return [
            list(self.columns[:common]) + [self.parent] + [None] * (self.parent_span - 1),
            [None] * common + list(self.columns[common:]),
        ]

    @property
    def merges(self) -> list[str]:
        """A1-style ranges the seed merges in its header."""
        if self.parent is None:
            return []
        common = len(self.columns) - self.parent_span
        letter = lambda i: chr(ord("A") + i)  # noqa: E731 — at most 15 columns
        return [f"{letter(i)}1:{letter(i)}2" for i in range(common)] + [f"{letter(common)}1:{letter(len(self.columns) - 1)}1"]


ANNEX3 = Annex(3, "劳动关系协调员情况表",
               ("序号", "姓名", "性别", "民族", "身份证号码", "工作单位", "职务", "学历", "任职协调员时间", "联系方式"))
ANNEX4 = Annex(4, "劳动人事争议调解组织情况表",
               ("序号", "所属乡镇街道", "调解组织名称", "调解组织性质", "地址", "成立时间", "负责人", "调解员人数", "联系人", "联系电话"))
ANNEX5 = Annex(5, "劳动人事争议调解组织调解员情况表",
               ("序号", "姓名", "性别", "民族", "身份证号码", "工作单位", "职务", "学历", "任职调解员时间", "联系电话"))
ANNEX6 = Annex(6, "协调劳动关系社会组织情况表",
               ("序号", "所属乡镇街道", "组织名称", "组织性质", "地址", "成立时间", "负责人", "协调员人数", "联系人", "联系电话"))
ANNEX7 = Annex(7, "“和谐同行”能力提升和谐企业培育（企业薪酬指引、新企业用工服务）企业名单",
               ("序号", "单位名称", "单位地址", "联系人", "联系电话", "职工人数", "培育指导服务单位"),
               short_title="和谐企业培育（企业薪酬指引、新企业用工服务）企业名单")
ANNEX8 = Annex(8, "重点用工企业情况表",
               ("序号", "单位名称", "所在地区", "单位地址", "所属行业", "联系人", "联系电话", "上年底职工数量", "目前职工数量",
                "已享的稳岗政策", "是否有裁员计划", "本年度计划裁员人数", "已裁员人数", "裁员岗位", "是否结清劳动报酬"),
               parent="以下内容为拟裁员或已裁员企业填写", parent_span=4)

ANNEXES: dict[str, Annex] = {a.name: a for a in (ANNEX3, ANNEX4, ANNEX5, ANNEX6, ANNEX7, ANNEX8)}
