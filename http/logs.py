"""structlog as JSON lines, with the request id bound, and personal data masked on the way out."""

from __future__ import annotations

import logging
import sys

import orjson
import structlog

from hexie.domain.identifiers import mask_personal


def _mask(_, __, event_dict):
    # Belt and braces: nothing logs payloads, but if a field named like personal data
    # ever reaches a log line it leaves masked.
    return mask_personal(event_dict)


class _StderrLogger:
    """Writes each line to whatever sys.stderr is now (tests and daemons swap it)."""

    def msg(self, message: str) -> None:
        sys.stderr.write(message + "\n")

    debug = info = warning = error = critical = exception = msg


def configure(level: int = logging.INFO) -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _mask,
            structlog.processors.JSONRenderer(serializer=lambda obj, **_: orjson.dumps(obj).decode()),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=lambda *_: _StderrLogger(),
        cache_logger_on_first_use=True,
    )
