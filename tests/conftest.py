"""Test isolation and the seeded Argos model every engine test runs on.

argostranslate creates folders under XDG data/config/cache homes when it is
imported, so those and its package folder point into a temporary folder
before any test can import it: nothing is written into the real home.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="toolkit-tests-"))
for _variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_variable] = str(_SANDBOX / _variable.lower())
os.environ["ARGOS_PACKAGES_DIR"] = str(_SANDBOX / "argos-packages")
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"  # closed port: tests never go online
os.environ.pop("TOOLKIT_MODELS_DIR", None)

# Ray's first `ray.init` writes ~/.ray/auth_token: removed again unless it was there before.
_RAY_HOME = Path.home() / ".ray"
_RAY_HOME_EXISTED = _RAY_HOME.exists()

REPO = Path(__file__).resolve().parent.parent
# test support (the seeded model builder, the slow engine): importable by name, never shipped
sys.path.insert(0, str(REPO / "tests" / "support"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Leave nothing behind: the sandbox under /tmp and a ~/.ray the tests created
    (issue 23: every run left a /tmp/toolkit-tests-* folder and ~/.ray)."""
    shutil.rmtree(_SANDBOX, ignore_errors=True)
    if not _RAY_HOME_EXISTED:
        shutil.rmtree(_RAY_HOME, ignore_errors=True)


SEEDS = sorted((REPO / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seeded_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real nl→en `.argosmodel` with seeded, untrained weights: its output is gibberish."""
    from seeded_model import build_argos_package

    folder = tmp_path_factory.mktemp("seeded-package")
    text = "\n".join(path.read_text(encoding="utf-8") for path in SEEDS)
    return build_argos_package(folder / "translate-nl_en-1_0.argosmodel", text)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory, seeded_package: Path) -> str:
    """A models folder with the seeded package installed through argostranslate."""
    from toolkit.models import install_from_file

    folder = tmp_path_factory.mktemp("models")
    install_from_file(seeded_package, str(folder))
    return str(folder)


@pytest.fixture
def argos_settings(models_dir: str):
    from toolkit.engines.base import EngineSettings

    # A seeded model rarely emits </s>: cap decoding so every test does bounded work.
    return EngineSettings(
        models_dir=models_dir, beam_size=2, intra_threads=2, max_decoding_length=12
    )


@pytest.fixture
def local_index(seeded_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A package index served over HTTP on loopback, listing the seeded package."""
    import http.server
    import json
    import shutil
    import threading

    from argostranslate import settings

    root = tmp_path / "www"
    root.mkdir()
    shutil.copy(seeded_package, root / "translate-nl_en.argosmodel")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(root)),
    )
    base = f"http://127.0.0.1:{server.server_port}/"
    entry = {
        "package_version": "1.0",
        "argos_version": "1.9",
        "from_code": "nl",
        "to_code": "en",
        "links": [base + "translate-nl_en.argosmodel"],
    }
    (root / "index.json").write_text(json.dumps([entry]))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(settings, "remote_package_index", base + "index.json")
    yield base
    server.shutdown()
