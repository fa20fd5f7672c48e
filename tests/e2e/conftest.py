"""The end-to-end tier's client: a real server in-process, sending a bearer token."""

from __future__ import annotations

import socket
import uuid

import pytest
from sanic_testing.reusable import ReusableClient

from hexie.http.app import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """sanic-testing's reusable client, sending a bearer token unless told otherwise."""

    def __init__(self, inner: ReusableClient, database_url: str):
        self.inner, self.database_url, self.token = inner, database_url, None

    def token_for(self, role: str, unit: str | None = None, grants=()) -> str:
        import asyncio

        from hexie.http.auth import create_token
        from hexie.projections.engine import connect

        async def make():
            db = connect(self.database_url)
            try:
                return (await create_token(db, role, unit, f"test {role}", grants))[1]
            finally:
                await db.close()

        return asyncio.run(make())

    def _headers(self, kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        token = kwargs.pop("token", self.token)
        if token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {token}"
        kwargs["headers"] = headers
        return kwargs

    def get(self, path, **kwargs):
        return self.inner.get(path, **self._headers(kwargs))

    def post(self, path, **kwargs):
        return self.inner.post(path, **self._headers(kwargs))

    def request(self, method, path, **kwargs):
        return getattr(self.inner, method)(path, **self._headers(kwargs))


@pytest.fixture
def client(database_url):
    app = create_app(database_url, name=f"hexie_{uuid.uuid4().hex[:8]}")
    with ReusableClient(app, port=free_port()) as inner:
        c = Client(inner, database_url)
        c.token = c.token_for("city_admin")
        yield c


