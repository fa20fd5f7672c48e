"""Errors as application/problem+json (RFC 9457): type, title, status, detail, errors."""

from __future__ import annotations

from typing import Any

import orjson
import structlog
from sanic import HTTPResponse, Request, Sanic
from sanic.exceptions import SanicException

from hexie.domain.commands import CaseNotFound, DuplicateCase, IdempotencyKeyReused, NotPermitted, ValidationFailed, VersionConflict
from hexie.domain.case import DomainError

from .auth import Forbidden, Unauthorized

log = structlog.get_logger("hexie.http")

PROBLEM = "application/problem+json"


class BadInput(Exception):
    """The request itself is malformed (not JSON, a query parameter of the wrong type)."""

    def __init__(self, detail: str, field: str | None = None, status: int = 400):
        super().__init__(detail)
        self.detail, self.field, self.status = detail, field, status


def problem(status: int, title: str, detail: str = "", errors: list[dict[str, Any]] | None = None, **extra: Any) -> HTTPResponse:
    body: dict[str, Any] = {
        "type": f"urn:hexie:problem:{title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": detail or title,
        "errors": errors or [],
        **extra,
    }
    return HTTPResponse(orjson.dumps(body), status=status, content_type=PROBLEM)


def allowed_methods(request: Request) -> list[str]:
    """The methods the request's path answers (sanic leaves them out when a path has several handlers)."""
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            request.app.router.resolve(request.path, method=method)
        except Exception:  # the router's own NotFound / MethodNotAllowed
            continue
        allowed.append(method)
    return allowed


def install(app: Sanic) -> None:
    @app.exception(BadInput)
    async def bad_input(request: Request, e: BadInput):
        errors = [{"field": e.field, "message": e.detail}] if e.field else []
        title = {400: "Bad request", 404: "Not found", 503: "Not ready"}.get(e.status, "Invalid request")
        return problem(e.status, title, e.detail, errors)

    @app.exception(Unauthorized)
    async def unauthorized(request: Request, e: Unauthorized):
        response = problem(401, "Unauthorized", str(e))
        response.headers["WWW-Authenticate"] = 'Bearer realm="hexie"'
        return response

    @app.exception(Forbidden, NotPermitted)
    async def forbidden(request: Request, e: Exception):
        return problem(403, "Forbidden", str(e))

    @app.exception(ValidationFailed)
    async def invalid(request: Request, e: ValidationFailed):
        return problem(422, "Invalid event data", str(e), e.errors)

    @app.exception(DomainError)
    async def refused(request: Request, e: DomainError):
        return problem(422, "Rule violated", e.message, [{"field": e.field, "rule": e.rule, "message": e.message}])

    @app.exception(IdempotencyKeyReused)
    async def key_reused(request: Request, e: IdempotencyKeyReused):
        detail = "this Idempotency-Key was used for a different request / 该幂等键已用于另一请求"
        return problem(422, "Idempotency key reused", detail, [{"field": "Idempotency-Key", "message": detail}])

    @app.exception(CaseNotFound)
    async def not_found(request: Request, e: CaseNotFound):
        return problem(404, "Not found", str(e))

    @app.exception(VersionConflict)
    async def conflict(request: Request, e: VersionConflict):
        detail = f"the case is at version {e.current}; expected_version was {e.expected}"
        return problem(
            409, "Version conflict", detail, [{"field": "expected_version", "message": detail}],
            case_id=str(e.case_id), current_version=e.current,
        )

    @app.exception(DuplicateCase)
    async def duplicate(request: Request, e: DuplicateCase):
        return problem(409, "Already recorded", str(e), case_id=str(e.case_id))

    @app.exception(SanicException)
    async def sanic_error(request: Request, e: SanicException):
        status = getattr(e, "status_code", 500) or 500
        titles = {404: "Not found", 405: "Method not allowed", 413: "Payload too large", 400: "Bad request"}
        response = problem(status, titles.get(status, "Error"), str(e) if status < 500 else "")
        if status == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    @app.exception(Exception)
    async def crash(request: Request, e: Exception):
        log.exception("unhandled", path=request.path)
        return problem(500, "Internal error", "the server failed; the request id is in the X-Request-ID header")
