"""The audit chain: tampering with stored rows or with an export is detected and named."""

from __future__ import annotations

import asyncio
import sqlite3

import psycopg
import pytest

from hexie.projections.audit import verify_database
from hexie.projections.engine import connect
from hexie.projections.engine import Runner
from hexie.projections.timeline import export, verify_lines
from hexie.projections.read_models import live_projections
from tests.integration.test_personal_data import ID, PHONE, register_people
from tests.scenario import record_programme, small_programme


async def project_and(database_url, fn):
    db = connect(database_url)
    try:
        runner = Runner(db, live_projections())
        await runner.setup()
        await runner.catch_up()
        return await fn(db)
    finally:
        await db.close()


def verify(database_url):
    return asyncio.run(project_and(database_url, verify_database))


def export_lines(database_url, fmt="ndjson", **kw) -> list[bytes]:
    async def run(db):
        return b"".join([chunk async for chunk in export(db, fmt, **kw)])

    return asyncio.run(project_and(database_url, run)).splitlines(keepends=True)


class Store:
    """Direct access to the event rows, as someone with database access would tamper with them."""

    def __init__(self, url: str):
        self.url = url
        self.sqlite = url.startswith("sqlite")

    def run(self, sql_sqlite: str, sql_pg: str, params=()):
        if self.sqlite:
            conn = sqlite3.connect(self.url[len("sqlite:///"):])
            conn.execute(sql_sqlite, params)
            conn.commit()
            conn.close()
        else:
            base, schema = self.url.split("?schema=")
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'SET search_path TO "{schema}"')
                conn.execute(sql_pg, params)

    def edit(self, position: int) -> None:
        self.run("UPDATE stored_events SET state = replace(state, '2021', '2020') WHERE rowid = ?",
                 "UPDATE hexie_events SET state = convert_to(replace(convert_from(state, 'UTF8'), '2021', '2020'), 'UTF8') "
                 "WHERE notification_id = %s", (position,))

    def delete(self, position: int) -> None:
        self.run("DELETE FROM stored_events WHERE rowid = ?", "DELETE FROM hexie_events WHERE notification_id = %s", (position,))

    def insert_copy(self, position: int, new_position: int) -> None:
        self.run(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
            "SELECT ?, originator_id, originator_version + 1000, topic, state FROM stored_events WHERE rowid = ?",
            "INSERT INTO hexie_events (notification_id, originator_id, originator_version, topic, state) "
            "SELECT %s, originator_id, originator_version + 1000, topic, state FROM hexie_events WHERE notification_id = %s",
            (new_position, position))

    def swap(self, a: int, b: int) -> None:
        # Swap two rows' contents, keeping their positions (primary keys moved out of the way first).
        self.run("UPDATE stored_events SET rowid = -1 WHERE rowid = ?", "UPDATE hexie_events SET notification_id = -1 WHERE notification_id = %s", (a,))
        self.run("UPDATE stored_events SET rowid = ? WHERE rowid = ?", "UPDATE hexie_events SET notification_id = %s WHERE notification_id = %s", (a, b))
        self.run("UPDATE stored_events SET rowid = ? WHERE rowid = -1", "UPDATE hexie_events SET notification_id = %s WHERE notification_id = -1", (b,))


class AuditStory:
    @pytest.fixture
    def filled(self, hexie, database_url):
        record_programme(hexie)
        small_programme(hexie)
        register_people(hexie)
        first = verify(database_url)  # the chain is recorded before anyone tampers
        assert first["ok"] and first["checked"] == hexie.head(), first
        return Store(database_url)

    def test_an_untouched_store_and_export_verify_clean(self, filled, database_url):
        assert verify(database_url)["ok"]
        for fmt in ("ndjson", "csv"):
            result = verify_lines(export_lines(database_url, fmt))
            assert result["ok"] and result["complete"], result

    def test_an_edited_row_is_named(self, filled, database_url):
        filled.edit(140)
        assert verify(database_url)["first_problem"] | {} == {"problem": "altered", "position": 140,
                                                              "detail": "the event's content changed"}

    def test_a_deleted_row_is_named(self, filled, database_url):
        filled.delete(150)
        found = verify(database_url)["first_problem"]
        assert (found["problem"], found["position"]) == ("removed", 150)

    def test_an_inserted_row_is_named(self, hexie, database_url):
        record_programme(hexie)
        small_programme(hexie)
        store = Store(database_url)
        store.delete(150)  # a hole in the log before the chain is recorded, as PostgreSQL's sequence leaves them
        assert verify(database_url)["ok"]
        store.insert_copy(152, 150)  # someone slips an event into the hole
        found = verify(database_url)["first_problem"]
        assert (found["problem"], found["position"]) == ("inserted", 150)

    def test_swapped_rows_are_named(self, filled, database_url):
        filled.swap(160, 161)
        found = verify(database_url)["first_problem"]
        assert (found["problem"], found["position"]) == ("reordered", 160)

    def test_edited_lines_of_an_export_are_named(self, filled, database_url):
        for fmt in ("ndjson", "csv"):
            lines = export_lines(database_url, fmt)
            offset = 1 if fmt == "ndjson" else 2  # the export line, and CSV's header

            def pos(i):
                return i + offset

            for old, new in ((b"officer-test", b"officer-evil"), (b"2021-02-01", b"2021-02-02")):
                edited = list(lines)
                target = next(i for i in range(pos(100), len(lines)) if old in lines[i])
                edited[target] = edited[target].replace(old, new, 1)  # the first mention only: the envelope's
                found = verify_lines(edited)["first_problem"]
                assert found["problem"] == "altered" and found["position"] == target - offset + 1
            removed = lines[:pos(20)] + lines[pos(21):]
            assert verify_lines(removed)["first_problem"]["problem"] == "removed"
            duplicated = lines[:pos(30)] + [lines[pos(30)]] + lines[pos(30):]
            assert verify_lines(duplicated)["first_problem"]["problem"] == "inserted"
            swapped = list(lines)
            swapped[pos(40)], swapped[pos(41)] = swapped[pos(41)], swapped[pos(40)]
            assert verify_lines(swapped)["first_problem"]["problem"] == "reordered"
            truncated = lines[:-5]
            assert not verify_lines(truncated)["ok"]

    def test_an_export_checks_against_a_kept_digest(self, filled, database_url):
        lines = export_lines(database_url)
        import orjson

        final = orjson.loads(lines[-1])["digest"]
        assert verify_lines(lines, {"position": final["position"], "head": final["head"]})["ok"]
        forged = verify_lines(lines, {"position": final["position"], "head": "0" * 64})
        assert forged["first_problem"]["problem"] == "digest_mismatch"

    def test_a_masked_export_has_no_personal_data_in_clear_and_still_verifies(self, filled, database_url):
        masked = b"".join(export_lines(database_url))
        assert ID.encode() not in masked and PHONE.encode() not in masked and b"enc:v1:" in masked
        clear = export_lines(database_url, reveal=True)
        assert ID.encode() in b"".join(clear)
        assert verify_lines(clear)["ok"]

    def test_a_filtered_export_verifies_line_by_line(self, filled, database_url):
        lines = export_lines(database_url, unit="君山区")
        result = verify_lines(lines)
        assert result["ok"] and not result["complete"] and 5 < result["checked"] < 100


class TestSQLite(AuditStory):
    backend = "sqlite"


class TestPostgres(AuditStory):
    backend = "postgres"
