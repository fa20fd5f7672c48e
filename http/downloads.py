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
    """`sheet` as a `form` ("csv" or "xlsx") download named `filename`.`form` (`fallback`.`form` in ASCII)."""
    if form == "csv":
        body, content_type = await asyncio.to_thread(to_csv, sheet), CSV_TYPE
    else:
        body, content_type = await asyncio.to_thread(to_xlsx, [sheet]), XLSX_TYPE
    disposition = attachment(f"{filename}.{form}", f"{fallback}.{form}")
    return HTTPResponse(body, status=200, headers={"Content-Disposition": disposition}, content_type=content_type)
