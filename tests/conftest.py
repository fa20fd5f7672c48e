"""Backends for the integration and end-to-end tiers.

A story is written once in a class without the `Test` prefix and run per backend by
subclassing it with `backend = "sqlite"` or `backend = "postgres"`. Every test gets
a database of its own: a fresh SQLite file, or a fresh PostgreSQL schema inside a
database created for this run (so concurrent runs never see each other's data).

PostgreSQL: HEXIE_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
names a server where we may create a database. If it cannot be reached the PostgreSQL
tests are skipped, unless HEXIE_REQUIRE_POSTGRES=1 (CI), which makes them fail.
HEXIE_TEST_POSTGRES=off skips them on purpose.

LibreOffice (the `office` fixture): the tests that print workbooks to PDF need `soffice`
(Debian's libreoffice-calc-nogui, with fonts-noto-cjk for the Chinese). Without it they are
skipped, unless HEXIE_REQUIRE_OFFICE=1 (CI), which makes them fail.
"""

from __future__ import annotations

import os
import shutil
import uuid

import psycopg
import pytest

ADMIN_URL = os.environ.get("HEXIE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def postgres_database():
    """A database for this test run, dropped at the end; yields its URL."""
    if os.environ.get("HEXIE_TEST_POSTGRES") == "off":
        pytest.skip("HEXIE_TEST_POSTGRES=off")
    name = f"hexie_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as e:
        if os.environ.get("HEXIE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable at {ADMIN_URL}: {e}")
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}")
    admin.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def database_url(request, tmp_path):
    backend = getattr(request.cls, "backend", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/hexie.sqlite3"
        return
    base = request.getfixturevalue("postgres_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{base}?schema={schema}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def hexie(database_url):
    from hexie.domain.application import Hexie

    app = Hexie(database_url)
    yield app
    app.close()


@pytest.fixture(scope="session")
def office():
    """The path of LibreOffice's `soffice`, to convert workbooks to PDF."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("HEXIE_REQUIRE_OFFICE") == "1":
            pytest.fail("LibreOffice is required (HEXIE_REQUIRE_OFFICE=1) but soffice is not on PATH")
        pytest.skip("LibreOffice (soffice) not installed")
    return found
