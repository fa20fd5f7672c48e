"""The real server in a subprocess, and a small HTTP/1.1 keep-alive client to drive it.

The client is raw asyncio streams rather than an HTTP library: the server and the
client share two cores, so every microsecond the client spends is taken from the
server; a minimal client keeps the measurement about the server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, AsyncIterator

from .common import log

CLI = [sys.executable, "-m", "hexie.scripts.cli"]


def create_token(url: str) -> str:
    """`hexie token create --role city_admin`: the token is the last line on stdout."""
    done = subprocess.run([*CLI, "--database-url", url, "token", "create", "--role", "city_admin", "--label", "bench"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"hexie token create failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.stdout.strip().splitlines()[-1].strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`hexie serve --workers N` as deployed, on one schema; its output goes to a log file."""

    def __init__(self, url: str, workers: int):
        self.url, self.workers = url, workers
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="hexie-bench-")  # cwd: nothing lands in the repository
        self.log_path = Path(self.dir) / "server.log"
        self.proc: subprocess.Popen | None = None
        self.attempts = 0

    def __enter__(self) -> "Server":
        # Workers starting together may race creating the same tables (seen: "tuple
        # concurrently updated" from CREATE OR REPLACE FUNCTION); a deployment would restart,
        # and so do we, a few times, saying so.
        for attempt in range(1, 4):
            self.attempts = attempt
            if self._start():
                return self
            if attempt < 3:
                log(f"  server failed to start (attempt {attempt}); retrying. Its last words:\n"
                    + "\n".join("    " + line for line in self.tail(1200).splitlines()[-8:]))
        raise RuntimeError(f"the server did not start in 3 attempts:\n{self.tail()}")

    def _start(self) -> bool:
        cmd = [*CLI, "--database-url", self.url, "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--workers", str(self.workers)]
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=self.dir,
                                         env={**os.environ, "HEXIE_DATABASE_URL": self.url}, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.__exit__()
        return False

    def __exit__(self, *exc: Any) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)  # sanic's graceful stop; it stops its own workers
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            log(f"server {self.proc.pid} did not stop on SIGINT; killing its process group")
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group we created (start_new_session)
            self.proc.wait(timeout=10)

    def tail(self, n: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def pids(self) -> list[int]:
        """The server's process tree (sanic's main process and its workers)."""
        assert self.proc is not None
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (from /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int, key: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Http:
    """One keep-alive connection; requests in sequence, as a client with one socket does."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> "Http":
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 20)
        return self

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass

    def _send(self, method: str, path: str, body: bytes | None) -> None:
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Authorization: Bearer {self.token}\r\n")
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        assert self.writer is not None
        self.writer.write(head.encode() + b"\r\n" + (body or b""))

    async def _head(self) -> tuple[int, dict[str, str]]:
        assert self.reader is not None
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        return status, headers

    async def _body(self, headers: dict[str, str]) -> AsyncIterator[bytes]:
        assert self.reader is not None
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")  # no trailers from sanic: the final CRLF
                    return
                chunk = await self.reader.readexactly(size + 2)
                yield chunk[:-2]
        elif "content-length" in headers:
            left = int(headers["content-length"])
            while left:
                chunk = await self.reader.read(min(left, 1 << 20))
                if not chunk:
                    raise ConnectionError("the server closed the connection mid-body")
                left -= len(chunk)
                yield chunk
        else:  # delimited by the end of the connection
            while chunk := await self.reader.read(1 << 20):
                yield chunk

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        self._send(method, path, body)
        status, headers = await self._head()
        return status, b"".join([c async for c in self._body(headers)])

    async def stream(self, path: str) -> tuple[int, AsyncIterator[bytes]]:
        """GET whose body is read as it comes (the caller must drain it)."""
        self._send("GET", path, None)
        status, headers = await self._head()
        return status, self._body(headers)


async def latencies(port: int, token: str, path: str, calls: int) -> list[float]:
    """Sequential GETs on one connection, in ms (after 3 untimed calls)."""
    c = await Http(port, token).open()
    try:
        out = []
        for i in range(calls + 3):
            t0 = time.perf_counter()
            status, body = await c.request("GET", path)
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status}: {body[:300]!r}")
            if i >= 3:
                out.append((time.perf_counter() - t0) * 1000)
        return out
    finally:
        await c.close()
