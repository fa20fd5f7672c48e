"""The yearly floors the seed sets beside Annex 1 (十大计划's own text), checked in each yearly summary.

Annex 1 gives three-year targets per unit; the plans' text adds what each year must bring,
city-wide or in every district. Where the text and Annex 1 disagree (P06: "每个县市区每年负责
指导50户以上" against Annex 1's 15–25 a year; "10名左右"/"30家左右" against 32/32 over three
years), Annex 1 governs the matrix and the text is not a floor here.

"左右" (about) is read as met from 80 % of the figure; "1-3家" as met from 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Floor:
    plan: str
    text: str  # the seed's words
    minimum: int  # met when the year's count reaches it
    scope: Literal["city", "district"]  # city-wide, or in each of the 12 districts
    counts: str  # what is counted, in the summary's terms
    about: int | None = None  # the figure "左右" qualifies, where it does

    @property
    def label(self) -> str:
        where = "全市" if self.scope == "city" else "每个县市区"
        return f"{self.plan} {where}每年不少于{self.minimum}" if self.about is None else f"{self.plan} {where}每年{self.about}左右"


FLOORS: tuple[Floor, ...] = (
    Floor("P01", "每个县市区每年申报数量不少于1户企业或行业", 1, "district", "nominated"),
    Floor("P02", "每个县市区每年负责指导服务不少于1户企业", 1, "district", "served"),
    Floor("P03", "每年全市培育10户以上企业", 10, "city", "counted"),
    Floor("P04", "全市每年授牌10家以上“湘融湘爱农民工服务保障社会协作单位”", 10, "city", "counted"),
    Floor("P05", "每个县市区每年负责指导服务不少于1户企业收入分配工作", 1, "district", "served"),
    Floor("P07", "每年从劳动关系协调员、专职集体协商指导员中选树10名左右先进典型", 8, "city", "counted", about=10),
    Floor("P09", "全市每年选树1-3家金牌协调劳动关系社会组织", 1, "city", "counted"),
)
