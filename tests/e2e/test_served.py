"""The real server, as `make run` starts it: README's curl session, racing clients, schemathesis."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests import samples

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(database_url, tmp_path):
    cli = [sys.executable, "-m", "hexie.scripts.cli", "--database-url", database_url]
    init = subprocess.run([*cli, "init"], check=True, capture_output=True, text=True, timeout=120)
    token = re.search(r"token \(shown once; keep it\): (\S+)", init.stderr).group(1)  # `make run` prints it
    port = free_port()
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen([*cli, "serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail((tmp_path / "server.log").read_text())
    yield base, token
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


class ServedStory:
    def test_the_readme_curl_session_works(self, server, database_url):
        if not (shutil.which("curl") and shutil.which("jq")):
            pytest.skip("curl and jq are needed to run the README's commands")
        readme = (ROOT / "README.md").read_text()
        section = readme.split("### Try it with curl", 1)[1].split("\n## ", 1)[0]
        base, _ = server
        script = "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S)).replace("localhost:8000", base.split("//")[1])
        env = {**os.environ, "HEXIE_DATABASE_URL": database_url}
        out = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60,
                             cwd=ROOT, env=env)
        assert out.returncode == 0, out.stderr
        assert '"type": "KeyEmployerDesignated"' in out.stdout
        assert "{}" in out.stdout  # the state as of before the plan
        assert '"planned_layoffs": 25' in out.stdout

    def test_racing_clients_with_the_same_expected_version_one_wins(self, server):
        server, token = server
        auth = {"Authorization": f"Bearer {token}"}
        case = httpx.post(f"{server}/v1/cases", json={"type": "EnterpriseEnrolled", "data": samples.enterprise(21)},
                          headers=auth).json()
        statuses: list[int] = []
        barrier = threading.Barrier(8)

        def client(n: int) -> None:
            barrier.wait()
            r = httpx.post(f"{server}/v1/cases/{case['case_id']}/events",
                           json={"type": "HeadcountReported", "data": {"headcount": n}, "expected_version": 1}, headers=auth)
            statuses.append(r.status_code)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [201] + [409] * 7
        assert httpx.get(f"{server}/v1/cases/{case['case_id']}", headers=auth).json()["version"] == 2

    def test_schemathesis_finds_no_server_error_and_no_off_contract_response(self, server, tmp_path):
        server, token = server
        checks = ",".join([
            "not_a_server_error", "status_code_conformance", "content_type_conformance",
            "response_schema_conformance", "response_headers_conformance", "negative_data_rejection",
            "unsupported_method",
        ])
        run = subprocess.run(
            [str(Path(sys.executable).parent / "schemathesis"), "run", f"{server}/openapi.json", "--checks", checks,
             "--max-examples", "15", "--seed", "20211", "--header", f"Authorization: Bearer {token}", "--no-color", "--generation-database", "none",
             "--phases", "coverage,fuzzing,stateful"],
            capture_output=True, text=True, timeout=300, cwd=tmp_path,
        )
        assert run.returncode == 0, run.stdout[-6000:]


class TestSQLite(ServedStory):
    backend = "sqlite"


class TestPostgres(ServedStory):
    backend = "postgres"
