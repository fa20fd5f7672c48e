"""Full-size workbooks to print, without a database — Annex 1 from `hexie init`'s targets with
some done figures, Annex 8 and Annex 3 registers of realistic rows (long names, an 18-digit
身份证号码) — and LibreOffice to print them to PDF and count the pages."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from hexie.domain.annexes import ANNEX3, ANNEX8
from hexie.domain.calendar import PROGRAMME_YEARS
from hexie.domain.vocabulary import UNITS
from hexie.projections import annex1
from hexie.projections.registers import Register
from hexie.scripts.programme import target_commands

ID_NUMBER = "43060219850101123X"  # 18 characters: the width a 身份证号码 column must show


def matrix_document(as_of: str | None = "2023-09-30T15:59:59.999999+00:00", through: str | None = None) -> dict:
    """The Annex 1 document of `hexie init`'s targets (every cell of the seed) with done figures."""
    targets = {(c["data"]["unit"], c["data"]["plan"]): (c["data"]["total"], c["data"]["per_year"])
               for c in target_commands()}
    luck = random.Random(11)
    done = {(unit, plan, year): luck.randint(0, 30 if plan == "P06" else 2)
            for (unit, plan) in targets for year in PROGRAMME_YEARS}
    enrolled = {unit: 3 for unit in UNITS}
    passed = {unit: luck.randint(1, 3) for unit in UNITS}
    arrears = {unit: luck.randint(0, 2) for unit in UNITS}
    document = annex1.build_matrix(targets, done, enrolled, passed, arrears)
    return {"through": through, "as_of": as_of, "position": 1234, **document}


def annex8_register(n: int = 10, unit: str | None = None) -> Register:
    rows, extras = [], []
    for i in range(1, n + 1):
        planned = i % 3 != 0
        rows.append([
            i, f"岳阳市第{i}精密机械制造股份有限公司", UNITS[i % 12], f"岳阳楼区青年中路{100 + i}号经济技术开发区工业园{i}栋",
            "制造业", "张三丰", f"138****{1000 + i}", 500 + i, 430 + i, "失业保险稳岗返还、社会保险费缓缴",
            "是" if planned else "否", 40 if planned else None, 25 if planned else None,
            "装配工、包装工" if planned else None, "是" if planned else None,
        ])
        extras.append({"case_id": str(uuid.uuid4()), "unit": UNITS[i % 12], "enterprise_id": str(uuid.uuid4())})
    title = f"{unit}{ANNEX8.title}" if unit else ANNEX8.title
    return Register(ANNEX8.name, title, ANNEX8.sheet_title, list(ANNEX8.columns), ANNEX8.header_rows, rows, extras,
                    ANNEX8.merges, meta={"unit": unit, "year": 2022})


def annex3_register(n: int = 3) -> Register:
    rows = [[i, "欧阳明华", "男", "土家族", ID_NUMBER, "岳阳市人力资源和社会保障局劳动关系科", "科长", "研究生",
             None, "13807301234"] for i in range(1, n + 1)]
    extras = [{"case_id": str(uuid.uuid4()), "unit": "岳阳楼区"} for _ in rows]
    return Register(ANNEX3.name, ANNEX3.title, ANNEX3.sheet_title, list(ANNEX3.columns), ANNEX3.header_rows, rows,
                    extras, ANNEX3.merges, meta={"unit": None})


# -- LibreOffice ---------------------------------------------------------------------------------


def to_pdf(office: str, workbooks: dict[str, bytes], out_dir: Path, timeout: float = 60) -> dict[str, Path]:
    """Each workbook converted to PDF by LibreOffice (`office`: soffice's path), headless, in one
    run with a profile of its own (a running LibreOffice or another run never interferes)."""
    sources = []
    for name, data in workbooks.items():
        sources.append(out_dir / f"{name}.xlsx")
        sources[-1].write_bytes(data)
    with tempfile.TemporaryDirectory(prefix="hexie-lo-") as profile:
        subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, sources)],
            check=True, capture_output=True, timeout=timeout, env={**os.environ, "HOME": profile})
    return {name: out_dir / f"{name}.pdf" for name in workbooks}


def pdf_pages(pdf: Path) -> int:
    """Pages of a PDF: `pdfinfo` when poppler-utils is there, else the page objects counted."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    data = pdf.read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
