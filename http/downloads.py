"""Files handed to the client: a spreadsheet, and the Content-Disposition that names it."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from sanic import HTTPResponse

from hexie.projections.export import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx


def attachment(filename: str, fallback: str) -> str:
    """Content-Disposition with an ASCII name for old clients and the UTF-8 name (RFC 6266 / 5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def spreadsheet(sheet, form: str, filename: str, fallback: str) -> HTTPResponse:
    """`sheet` (a `Sheet`, or a list of them: a workbook of several sheets, of which CSV holds the
    first) as a `form` ("csv" or "xlsx") download named `filename`.`form` (`fallback`.`form` in ASCII)."""
    sheets = sheet if isinstance(sheet, list) else [sheet]
    if form == "csv":
        body, content_type = await asyncio.to_thread(to_csv, sheets[0]), CSV_TYPE
    else:
        body, content_type = await asyncio.to_thread(to_xlsx, sheets), XLSX_TYPE
    disposition = attachment(f"{filename}.{form}", f"{fallback}.{form}")
    return HTTPResponse(body, status=200, headers={"Content-Disposition": disposition}, content_type=content_type)
