"""Recorded times in tests: a moment strictly before whatever is recorded next."""

from __future__ import annotations

import datetime as dt


def clock_passes(moment: dt.datetime) -> dt.datetime:
    """Return `moment` once the clock has moved past it, so that every event recorded from
    now on is recorded after it (the clock ticks in microseconds; no sleeping on a guess)."""
    while dt.datetime.now(dt.timezone.utc) <= moment:
        pass
    return moment
