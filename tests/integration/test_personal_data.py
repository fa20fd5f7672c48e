"""Personal data: sealed at rest everywhere, erasable per person, and the chain still verifies."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys

import psycopg

from hexie.domain.identifiers import ERASED
from hexie.projections import audit
from hexie.projections.engine import connect
from hexie.projections.registers import build
from hexie.projections.engine import Runner
from hexie.projections.read_models import live_projections
from tests import samples
from tests.reading import read_log, case_history

ID = samples.id_number(42)
PHONE = "13607301111"
CONTACT = "13707302222"


def register_people(hexie):
    person = hexie.open_case("CoordinatorRegistered", {
        "unit": "汨罗市", "name": "黄蓉", "gender": "female", "ethnicity": "01", "id_number": ID,
        "employer": "汨罗纺织", "position": "工会主席", "education": "junior_college", "appointed_on": "2020-01-01",
        "phone": PHONE, "occurred_on": "2021-03-01"})
    hexie.append(person.case_id, "CoordinatorDetailsAmended", {"phone": "13607303333", "occurred_on": "2021-05-01"})
    hexie.open_case("EnterpriseEnrolled", samples.enterprise(42, contact_phone=CONTACT, occurred_on="2021-02-01"))
    return person.case_id


def all_table_text(database_url: str) -> str:
    """Every value in every table of the database (or the test's schema), as text."""
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(database_url[len("sqlite:///"):])
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = [conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables]
        conn.close()
    else:
        base, schema = database_url.split("?schema=")
        with psycopg.connect(base) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))]
            rows = [conn.execute(f'SELECT * FROM "{schema}"."{t}"').fetchall() for t in tables]
    assert len(tables) > 10
    return repr(rows) + "".join(bytes(v).decode("utf-8", "replace") for table in rows for row in table
                                for v in row if isinstance(v, (bytes, memoryview)))


async def project(database_url):
    db = connect(database_url)
    runner = Runner(db, live_projections())
    await runner.setup()
    await runner.catch_up()
    return db


class PersonalDataStory:
    def test_no_personal_datum_is_stored_in_clear(self, hexie, database_url):
        person = register_people(hexie)
        hexie.take_snapshot(person)  # snapshots hold the aggregate's state: sealed too
        asyncio.run(project(database_url))
        text = all_table_text(database_url)
        assert "stored_snapshots" in text or "hexie_snapshots" in text or "CoordinatorRegistered" in text
        for clear in (ID, PHONE, "13607303333", CONTACT):
            assert clear not in text
        assert "enc:v1:" in text
        # …while those who may see it read it in clear
        state = hexie.get_case(read_log(hexie, 0, 1000)[0]["case_id"]).state()
        assert state["id_number"] == ID and state["phone"] == "13607303333"

    def test_erasing_a_person_leaves_their_events_verifiable_and_unreadable(self, hexie, database_url):
        person = register_people(hexie)
        out = subprocess.run([sys.executable, "-m", "hexie.scripts.cli", "--database-url", database_url,
                              "erase-person", str(person)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        hexie.vault.cache.put(str(person), None)  # this process cached the key a moment ago
        assert len(case_history(hexie, person)) == 2
        state = hexie.get_case(person).state()
        assert state["id_number"] == ERASED and state["phone"] == ERASED and state["name"] == "黄蓉"
        assert {e["data"].get("phone") for e in case_history(hexie, person, reveal=True)} == {ERASED}

        async def check():
            db = await project(database_url)
            register = await build(db, "annex3", reveal=True)
            verdict = await audit.verify_database(db)
            await db.close()
            return register, verdict

        register, verdict = asyncio.run(check())
        row = register.document()["rows"][0]
        assert row["身份证号码"] == ERASED and row["联系方式"] == ERASED
        assert verdict["ok"] and verdict["checked"] == 3
        again = subprocess.run([sys.executable, "-m", "hexie.scripts.cli", "--database-url", database_url,
                                "erase-person", str(person)], capture_output=True, text=True)
        assert again.returncode == 1


class TestSQLite(PersonalDataStory):
    backend = "sqlite"


class TestPostgres(PersonalDataStory):
    backend = "postgres"
