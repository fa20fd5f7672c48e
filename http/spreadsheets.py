"""Spreadsheets in and out: /v1/imports, /v1/templates/<form>.xlsx, /v1/acceptance-pack.

- `POST /v1/imports?as=<form>` (`enterprises`, `annex3` … `annex8`; `unit`, `plan`, `year`,
  `occurred_on` as `hexie import` takes them): the file is the body (XLSX or CSV), spooled to a
  temporary file as it arrives, at most `MAX_IMPORT_BYTES`. Roles that may write only; a unit
  officer's rows must all be of its own unit (others are problems; its unit is the default).
  201 with the counts when every row was stored; 422 with the report (problem+json plus
  `ok`, `rows`, `problems` …) when any row is bad and nothing was stored; with `?report=xlsx`
  the 422 carries the marked copy of the workbook instead.
- `GET /v1/templates/<form>.xlsx`: the empty form, any role.
- `GET /v1/acceptance-pack?through=YYYY-MM-DD[&as_of=…]`: a zip of the acceptance pack
  (`projections/acceptance.py`), for city admins, inspectors and auditors; built in a
  temporary file once the read models have caught up with the log, then streamed.
"""

from __future__ import annotations

import asyncio
import csv
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from sanic import Blueprint, HTTPResponse, Request, json

from hexie.domain.calendar import NAMED_YEARS
from hexie.domain.case import Context
from hexie.projections import acceptance
from hexie.projections.cut import Cut
from hexie.projections.export import XLSX_TYPE
from hexie.projections.engine import head, wait_for
from hexie.scripts.sheets import FORMS, XLSX_MAGIC, Import, Options, enterprise_names, marked_workbook, sheet_title
from hexie.scripts.sheets import template as blank_template  # the route below is named template

from . import params
from .auth import principal_of, require
from .problems import BadInput, problem
from .registers import attachment

bp = Blueprint("spreadsheets", url_prefix="/v1")

MAX_IMPORT_BYTES = 200_000_000
CHUNK = 1 << 20
ACCEPTED_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv", "text/plain",
                  "application/csv", "application/vnd.ms-excel", "application/octet-stream")


def _form(request: Request) -> str:
    params.text(request, "as")  # a blank value is told apart from a wrong one
    return params.choice(request, "as", FORMS, required=True)


async def _spool(request: Request, spool) -> int:
    size = 0
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return size
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            raise BadInput(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB", "body", 413)
        spool.write(chunk)


def unreadable(error: Exception) -> bool:
    """Whether `error` came from reading a malformed file rather than from the store."""
    module = type(error).__module__ or ""
    return module.split(".")[0] in ("openpyxl", "zipfile", "xml", "csv", "lxml", "et_xmlfile") or isinstance(
        error, (UnicodeDecodeError, KeyError, EOFError, zipfile.BadZipFile, csv.Error))


def _names(request: Request, loop: asyncio.AbstractEventLoop):
    """Enrolled enterprises by name, read on the server's loop from the import's thread."""
    db = request.app.ctx.readdb

    async def load() -> dict[str, list[str]]:
        await wait_for(db, ["ledger"], await head(db), timeout=30)
        return await enterprise_names(db)

    return lambda: asyncio.run_coroutine_threadsafe(load(), loop).result(timeout=60)


@bp.post("/imports", stream=True)
async def import_file(request: Request):
    principal = principal_of(request)
    require(request, principal.may_write(), "import records")
    form = _form(request)
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type and content_type not in ACCEPTED_TYPES:
        raise BadInput("send the file as XLSX or CSV (Content-Type)", "Content-Type", 415)
    params.text(request, "report")
    wanted = params.choice(request, "report", ("json", "xlsx"))
    options = Options(form, unit=params.text(request, "unit"), plan=params.text(request, "plan"),
                      year=params.integer(request, "year", None, *NAMED_YEARS),
                      occurred_on=params.text(request, "occurred_on"))
    context = Context(actor=principal.actor, actor_unit=principal.unit, request_id=request.ctx.request_id,
                      units=principal.units)
    with tempfile.TemporaryDirectory(prefix="hexie-import-") as folder:
        path = Path(folder) / "upload"
        with open(path, "wb") as spool:
            size = await _spool(request, spool)
        if size == 0:
            raise BadInput("send the file (XLSX or CSV) as the request body", "body")
        with open(path, "rb") as f:
            is_xlsx = f.read(4) == XLSX_MAGIC
        if content_type == ACCEPTED_TYPES[0] and not is_xlsx:
            raise BadInput("the body is not an XLSX workbook", "body")
        names = _names(request, asyncio.get_running_loop())
        try:
            run = await asyncio.to_thread(Import, request.app.ctx.hexie, path, options, context, names)
        except ValueError as e:  # "unit: …", "plan: …": a file-wide option that is none of its values
            raise BadInput(str(e), f"query.{str(e).split(':')[0]}") from None
        try:
            outcome = await asyncio.to_thread(run.run)
        except Exception as e:  # an unreadable file (a broken workbook, not text) is the client's
            if not unreadable(e):
                raise
            raise BadInput(f"the file cannot be read as XLSX or CSV ({type(e).__name__})", "body") from None
        if outcome.ok:
            wake = getattr(request.app.ctx, "wake", None)
            if wake is not None:
                wake.set()
            return json(outcome.as_dict(), status=201)
        if wanted == "xlsx":
            body = await asyncio.to_thread(marked_workbook, run.source, outcome)
            return HTTPResponse(body, status=422, content_type=XLSX_TYPE, headers={
                "Content-Disposition": attachment(f"{form}-问题标注.xlsx", f"{form}-report.xlsx")})
    report = outcome.as_dict()
    errors = [{"field": p["cell"] or p["column"], "rule": p["rule"], "message": f"{p['problem_zh']} / {p['problem_en']}"}
              for p in outcome.problems[:100]]
    stored = (f"{outcome.recorded} events were stored before the refusal; import the file again once fixed"
              if outcome.recorded else "nothing was stored")
    return problem(422, "Import refused", f"{outcome.problem_count} problems in {outcome.rows} rows; {stored}",
                   errors, **{k: v for k, v in report.items() if k != "form"}, form=form)


@bp.get("/templates/<filename:str>")
async def template(request: Request, filename: str):
    name = filename.removesuffix(".xlsx")
    if not filename.endswith(".xlsx") or name not in FORMS:
        return problem(404, "Not found", f"no template {filename!r}; the templates are "
                       + ", ".join(f"{n}.xlsx" for n in FORMS))
    body = await asyncio.to_thread(blank_template, name)
    title = FORMS[name].title
    return HTTPResponse(body, content_type=XLSX_TYPE, headers={
        "Content-Disposition": attachment(f"{sheet_title(FORMS[name])}{'' if name == 'enterprises' else title}模板.xlsx",
                                          f"{name}.xlsx")})


@contextmanager
def _member(archive: zipfile.ZipFile, name: str):
    with archive.open(name, "w", force_zip64=True) as f:
        yield f


@bp.get("/acceptance-pack")
async def acceptance_pack(request: Request):
    require(request, principal_of(request).may_export(), "download the acceptance pack")
    cut = params.cut(request)
    cut = Cut(cut.through or acceptance.DEFAULT_THROUGH, cut.as_of)
    through = cut.through
    db = request.app.ctx.readdb
    if not await wait_for(db, ["ledger", "annex1", "audit"], await head(db), timeout=60):
        raise BadInput("the read models are catching up with the log; retry shortly", None, 503)
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            try:
                await acceptance.write(db, cut, lambda name: _member(archive, name))
            except acceptance.PackRefused as e:
                raise BadInput(str(e), f"query.{e.field}", 422) from None
        spool.seek(0)
        response = await request.respond(content_type="application/zip", headers={
            "Content-Disposition": attachment(f"和谐同行验收材料-{through}.zip", f"hexie-acceptance-{through}.zip")})
        while chunk := spool.read(CHUNK):
            await response.send(chunk)
        await response.eof()
