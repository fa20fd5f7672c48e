"""/openapi.json documents exactly the routes the app serves: none missing, none invented.

Each documented path is filled in with a value its parameters accept and resolved by the app's
own router, so the check does not trust the document's idea of which route it describes.
"""

from __future__ import annotations

import uuid

from sanic import Sanic

from hexie.http.app import create_app
from hexie.http.openapi import document

# Served but not part of the API: the document itself and the page that shows it.
INTERNAL = {("GET", "/openapi.json"), ("GET", "/docs")}


def _sample(parameter: dict) -> str:
    schema = parameter.get("schema", {})
    if schema.get("enum"):
        return str(schema["enum"][0])
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    return "x"


def mismatches(app: Sanic, doc: dict) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(served routes not documented, documented operations not served), each as (METHOD, path)."""
    served = {(method, "/" + route.path) for route in app.router.routes for method in route.methods}
    covered, unserved = set(), set()
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            concrete = path
            for parameter in op.get("parameters", []):
                if parameter["in"] == "path":
                    concrete = concrete.replace("{" + parameter["name"] + "}", _sample(parameter))
            try:
                route = app.router.resolve(concrete, method=method.upper())[0]
            except Exception:  # the router's NotFound / NoMethod
                unserved.add((method.upper(), path))
                continue
            covered.add((method.upper(), "/" + route.path))
    return served - covered - INTERNAL, unserved


def test_every_served_route_is_documented_and_every_documented_one_is_served(client):
    undocumented, unserved = mismatches(client.inner.app, client.get("/openapi.json")[1].json)
    assert not undocumented, f"served but not in /openapi.json: {sorted(undocumented)}"
    assert not unserved, f"in /openapi.json but not served: {sorted(unserved)}"


def test_the_check_names_an_undocumented_route_and_an_unserved_path(tmp_path):
    app = create_app(f"sqlite:///{tmp_path}/hexie.sqlite3", name=f"hexie_{uuid.uuid4().hex[:8]}")

    @app.get("/v1/undocumented")
    async def undocumented(request):
        raise NotImplementedError

    doc = document(app)
    doc["paths"]["/v1/nowhere"] = {"get": {"responses": {}}}
    doc["paths"]["/v1/events"]["delete"] = {"responses": {}}
    app.router.finalize()
    assert mismatches(app, doc) == ({("GET", "/v1/undocumented")}, {("GET", "/v1/nowhere"), ("DELETE", "/v1/events")})
