"""The design card's folders as one distribution, without shadowing the standard library."""

import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_http_from_the_repository_root_is_the_standard_library():
    # `python -c` puts the working directory first on sys.path, as pytest and sanic's loader do.
    code = "import http.client, hexie.http.app, sys; print(http.client.__file__); print(hexie.http.app.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    stdlib_http, ours = out.stdout.split()
    assert Path(stdlib_http).is_relative_to(sysconfig.get_paths()["stdlib"])
    assert Path(ours) == ROOT / "http" / "app.py"
    assert not (ROOT / "http" / "__init__.py").exists()


def test_the_folders_are_hexie_subpackages():
    import hexie.domain
    import hexie.projections
    import hexie.schemas
    import hexie.scripts

    for package, folder in [(hexie.domain, "domain"), (hexie.projections, "projections"),
                            (hexie.schemas, "schemas"), (hexie.scripts, "scripts")]:
        assert Path(package.__file__).parent == ROOT / folder
