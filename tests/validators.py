"""xmllint against the official schemas, offline, for every XML format's tests.

The schemas come from `bin/install-test-tools` into `.cache/schemas`; without
them a test skips locally and fails under CI, where skipping would hide a gap.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCHEMAS = Path(__file__).resolve().parents[1] / ".cache" / "schemas"
XML_XSD_URL = "http://www.w3.org/2001/xml.xsd"


def _missing(what: str) -> None:
    message = f"{what} missing; run bin/install-test-tools"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def schema(name: str) -> Path:
    """The path of a fetched schema file; skips (fails under CI) if it is not there."""
    path = SCHEMAS / name
    if not path.is_file():
        _missing(f"schema {path}")
    if not shutil.which("xmllint"):
        _missing("xmllint (libxml2-utils)")
    return path


def _xmllint(arguments: list[str], path: Path, env: dict[str, str] | None = None) -> None:
    run = subprocess.run(
        ["xmllint", "--noout", "--nonet", *arguments, str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr


def validate_xsd(path: Path, xsd: str) -> None:
    """Validate `path` against schema `xsd`, with xml.xsd resolved locally by a catalog."""
    xsd_path = schema(xsd)
    catalog = path.parent / "xml-catalog.xml"
    local = schema("xml.xsd").as_uri()
    catalog.write_text(
        '<?xml version="1.0"?>\n'
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        f'  <system systemId="{XML_XSD_URL}" uri="{local}"/>\n'
        f'  <uri name="{XML_XSD_URL}" uri="{local}"/>\n'
        "</catalog>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "XML_CATALOG_FILES": str(catalog)}
    _xmllint(["--schema", str(xsd_path)], path, env)


def validate_dtd(path: Path, dtd: str) -> None:
    """Validate `path` against DTD `dtd`, whatever its DOCTYPE says (no network)."""
    _xmllint(["--dtdvalid", str(schema(dtd))], path)
