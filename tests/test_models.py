"""Model package management on hostile and real packages: install, list, remove, bundled, index."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import models
from toolkit.cli import main
from toolkit.errors import UserError

GOOD_METADATA = {"package_version": "1.0", "from_code": "nl", "to_code": "en"}
INSTALLED = "translate-nl_en-1_0"  # the seeded package's top folder
SYMLINK = object()  # marks a member written as a symlink


def _core(top: str, metadata: object = GOOD_METADATA) -> list[tuple[str, object]]:
    """The members of a minimal package under `top`: metadata, model, tokenizer."""
    return [
        (f"{top}/metadata.json", json.dumps(metadata)),
        (f"{top}/model/model.bin", "x"),
        (f"{top}/sentencepiece.model", "x"),
    ]


def _zip(path: Path, members: list[tuple[str, object]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(data, tuple) and data[0] is SYMLINK:
                info.external_attr = 0o120777 << 16
                data = data[1]
            archive.writestr(info, data)  # type: ignore[arg-type]
    return path


def _repack(package: Path, target: Path, top: str | None = None, **metadata: object) -> Path:
    """Copy a package zip under a new top folder, with metadata.json keys added."""
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            old_top, _, rest = info.filename.partition("/")
            data = src.read(info)
            if rest == "metadata.json":
                data = json.dumps({**json.loads(data), **metadata}).encode()
            info.filename = f"{top or old_top}/{rest}"
            dst.writestr(info, data)
    return target


def _reference_package(seeded_package: Path, folder: Path, **metadata: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    values = {"reference": True, "description": "reference model, software docs", **metadata}
    return _repack(
        seeded_package, folder / models.BUNDLED_NAME, "translate-nl_en-reference", **values
    )


def _corrupt_crc(package: Path, target: Path) -> Path:
    """Flip one stored byte of model.bin: the zip opens, the checksum fails on extraction."""
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(f"{INSTALLED}/model/model.bin")
    name_length = len(info.filename.encode())
    start = info.header_offset + 30 + name_length + len(info.extra) + 100
    data[start] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def _declare_size(path: Path, member: str, size: int) -> Path:
    """Rewrite a member's uncompressed size in the central directory: a lying archive."""
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    while entry >= 0:
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + name_length] == member.encode():
            data[entry + 24 : entry + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return path
        entry = data.find(b"PK\x01\x02", entry + 4)
    raise AssertionError(f"{member} not in {path}")


@pytest.fixture
def installed(seeded_package: Path, tmp_path: Path) -> Path:
    """A models folder holding the seeded package, beside a file that must survive."""
    folder = tmp_path / "root" / "models"
    models.install_from_file(seeded_package, str(folder))
    (tmp_path / "root" / "precious.txt").write_text("keep me")
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != models.LOCK_NAME
    }


# (case, archive members, expected error fragment, exit code)
HOSTILE = [
    # the top folder `..` made the old installer rmtree the models folder's parent
    ("top folder ..", _core(".."), "'.' or '..' path part", 1),
    # the top folder `.` made it rmtree every installed package
    ("top folder .", _core("."), "'.' or '..' path part", 1),
    # a `..` deeper down escapes the package folder on extraction
    (
        "nested ..",
        [*_core("pkg"), ("pkg/../../escape.txt", "x")],
        "'.' or '..' path part",
        1,
    ),
    # an absolute member name writes anywhere
    ("absolute path", _core("/tmp/toolkit-escape"), "absolute path", 1),
    # a Windows drive path is absolute there
    ("drive letter", _core("C:pkg"), "absolute path", 1),
    # backslashes are separators on Windows and in some unzip tools
    ("backslash", _core("pkg\\..\\x"), "backslash", 1),
    # a symlink member points extraction (or the model loader) outside the folder
    (
        "symlink member",
        [*_core("pkg")[:2], ("pkg/sentencepiece.model", (SYMLINK, "/etc/passwd"))],
        "symlink or special file",
        1,
    ),
    # a top folder that is not a plain name (option-like, spaces) is refused
    ("unsafe top name", _core("-rf pkg"), "is not a plain name", 1),
    # two top folders: not one package
    ("two top folders", [*_core("pkg"), ("other/x", "x")], "expected one top folder", 1),
    # a zip bomb: 16 MiB of zeros in a tiny archive, refused before extraction
    (
        "zip bomb",
        [*_core("pkg")[::2], ("pkg/model/model.bin", bytes(16 << 20))],
        "declares 16777",
        1,
    ),
    # metadata.json a JSON list used to raise AttributeError
    ("metadata a list", _core("pkg", [1, 2]), "pkg/metadata.json: metadata.json is a JSON list", 1),
    # metadata.json not JSON at all
    (
        "metadata not JSON",
        [("pkg/metadata.json", "{nope"), *_core("pkg")[1:]],
        "metadata.json is not valid JSON",
        1,
    ),
    # a repeated member name would overwrite what was already checked and extracted
    pytest.param(
        "duplicate member",
        [*_core("pkg"), ("pkg/model/model.bin", "y")],
        "appears twice",
        1,
        marks=pytest.mark.filterwarnings("ignore:Duplicate name"),
    ),
]


@pytest.mark.parametrize(
    ("case", "members", "fragment", "exit_code"),
    HOSTILE,
    ids=[c.values[0] if hasattr(c, "values") else c[0] for c in HOSTILE],
)
def test_hostile_package_is_refused_and_nothing_is_touched(
    installed: Path, tmp_path: Path, case, members, fragment, exit_code
) -> None:
    package = _zip(tmp_path / "hostile.argosmodel", members)
    before = _snapshot(installed)
    result = CliRunner().invoke(
        main, ["model", "install", "--file", str(package), "--models-dir", str(installed)]
    )
    assert result.exit_code == exit_code, result.output
    assert fragment in result.stderr
    assert result.stderr.startswith(f"Error: {package}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "root" / "precious.txt").read_text() == "keep me"
    assert _snapshot(installed) == before
    assert not [p for p in installed.iterdir() if p.name.startswith(".") and p.is_dir()]
    assert not Path("/tmp/toolkit-escape").exists()


@pytest.mark.parametrize(
    ("case", "make_bad", "fragment"),
    [
        # a flipped byte: the zip opens, the checksum fails half way through extraction
        ("bad checksum", _corrupt_crc, "corrupt package"),
        # a member declared smaller than it is: extraction stops at the declared size
        (
            "lying size",
            lambda pkg, out: _declare_size(
                shutil.copy(pkg, out) and out, f"{INSTALLED}/model/model.bin", 10
            ),
            "corrupt package",
        ),
    ],
)
def test_failed_reinstall_keeps_the_previous_install(
    installed: Path, seeded_package: Path, tmp_path: Path, case, make_bad, fragment
) -> None:
    bad = make_bad(seeded_package, tmp_path / "bad.argosmodel")
    before = _snapshot(installed)
    with pytest.raises(UserError, match=fragment):
        models.install_from_file(bad, str(installed))
    assert _snapshot(installed) == before
    assert [m.name for m in models.list_models(str(installed))] == [INSTALLED]
    assert not [p for p in installed.iterdir() if p.name.startswith(".toolkit-s")]


def test_zip_bomb_over_the_absolute_limit_is_refused_before_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2 GiB cannot be built in a test; the same check with the limit lowered
    package = _zip(tmp_path / "p.argosmodel", [*_core("pkg"), ("pkg/big", os.urandom(1 << 16))])
    monkeypatch.setattr(models, "MAX_UNPACKED_BYTES", 1 << 15)
    with pytest.raises(UserError, match=r"over the limit of 32768 \(2 GiB"):
        models.install_from_file(package, str(tmp_path / "models"))
    assert not list((tmp_path / "models").glob("*/"))


def test_installed_package_is_one_argostranslate_lists(installed: Path) -> None:
    from argostranslate.package import get_installed_packages

    [package] = get_installed_packages(path=[installed])
    assert (package.from_code, package.to_code, package.package_version) == ("nl", "en", "1.0")
    [model] = models.list_models(str(installed))
    assert model.path == installed / INSTALLED
    assert (model.path / "model" / "model.bin").is_file()
    assert model.size_bytes > 10_000
    assert model.description  # the seeded package describes itself


def test_stale_folders_of_a_killed_install_are_cleaned_or_restored(
    installed: Path, seeded_package: Path
) -> None:
    (installed / ".toolkit-staging-dead" / "pkg").mkdir(parents=True)
    # killed between "old away" and "new in": the old package waits in a retired folder
    retired = installed / ".toolkit-retired-dead"
    retired.mkdir()
    shutil.copytree(installed / INSTALLED, retired / "translate-nl_en-0_9")
    models.install_from_file(seeded_package, str(installed))
    assert sorted(p.name for p in installed.iterdir() if p.is_dir()) == [
        "translate-nl_en-0_9",
        INSTALLED,
    ]


def test_broken_installed_metadata_is_listed_as_a_warning_not_a_traceback(
    installed: Path,
) -> None:
    for name, text in (("broken-list", "[1, 2]"), ("broken-json", "{nope")):
        (installed / name).mkdir()
        (installed / name / "metadata.json").write_text(text)
    listed = CliRunner().invoke(main, ["model", "list", "--models-dir", str(installed)])
    assert listed.exit_code == 0, listed.output
    warnings = listed.stderr.strip().splitlines()
    assert len(warnings) == 2
    assert f"{installed / 'broken-list' / 'metadata.json'}: metadata.json is a JSON list" in (
        listed.stderr
    )
    assert "model remove broken-json" in listed.stderr
    assert INSTALLED in listed.stdout and "broken-" not in listed.stdout
    as_json = CliRunner().invoke(main, ["model", "list", "--json", "--models-dir", str(installed)])
    problems = {m["name"]: m["problem"] for m in json.loads(as_json.stdout)}
    assert problems[INSTALLED] == "" and "not valid JSON" in problems["broken-json"]
    assert models.find_model(str(installed), "nl", "en").name == INSTALLED


def test_list_shows_description_and_marks_the_reference_model(
    installed: Path, seeded_package: Path, tmp_path: Path
) -> None:
    reference = _reference_package(seeded_package, tmp_path / "ref", description="Ref\x1b[2J x")
    models.install_from_file(reference, str(installed))
    listed = CliRunner().invoke(main, ["model", "list", "--models-dir", str(installed)])
    lines = listed.stdout.splitlines()
    [ref_line] = [line for line in lines if "translate-nl_en-reference" in line]
    assert "[bundled reference model]" in ref_line
    assert "    Ref[2J x" in lines  # the package's escape sequence is not passed to the terminal
    as_json = CliRunner().invoke(main, ["model", "list", "--json", "--models-dir", str(installed)])
    by_name = {m["name"]: m for m in json.loads(as_json.stdout)}
    assert by_name["translate-nl_en-reference"]["reference"] is True
    assert by_name[INSTALLED]["reference"] is False
    assert by_name[INSTALLED]["description"]


@pytest.mark.parametrize(
    "name",
    [
        "..",  # the models folder's parent
        ".",  # the models folder itself
        "",  # the same, spelled empty
        "../root",  # a path, not a package name
        "/etc",  # an absolute path
        models.LOCK_NAME,  # a file of ours inside the folder, not a package
        "translate-nl_en-9_9",  # a plain name that is not installed
    ],
)
def test_remove_refuses_anything_but_an_installed_package_name(installed: Path, name) -> None:
    before = _snapshot(installed)
    result = CliRunner().invoke(main, ["model", "remove", name, "--models-dir", str(installed)])
    assert result.exit_code == 1
    assert "no installed package named" in result.stderr
    assert f"installed: {INSTALLED}" in result.stderr
    assert _snapshot(installed) == before
    assert (installed.parent / "precious.txt").exists()


def test_remove_deletes_the_package_and_only_a_symlink_pointing_out(
    installed: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside-package"
    shutil.copytree(installed / INSTALLED, outside)
    (installed / "linked").symlink_to(outside)
    for name in ("linked", INSTALLED):
        result = CliRunner().invoke(main, ["model", "remove", name, "--models-dir", str(installed)])
        assert result.exit_code == 0, result.output
        assert f"removed {name}" in result.stdout
    assert models.list_models(str(installed)) == []
    assert (outside / "model" / "model.bin").is_file()
    assert not [p for p in installed.iterdir() if p.is_dir()]


def test_bundled_installs_the_reference_model(
    seeded_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(models.BUNDLED_ENV, str(_reference_package(seeded_package, tmp_path)))
    folder = tmp_path / "models"
    result = CliRunner().invoke(
        main, ["model", "install", "--bundled", "--models-dir", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert "installed the bundled reference model" in result.stdout
    assert "installed translate-nl_en-reference 1.0 (nl→en)" in result.stdout
    [model] = models.list_models(str(folder))
    assert model.reference


def _truncated(package: Path, folder: Path) -> Path:
    target = folder / "b.argosmodel"
    target.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    return target


@pytest.mark.parametrize(
    ("case", "make_bundled", "fragment"),
    [
        # the file is produced at release time; a checkout may not have it
        ("missing", lambda seeded, folder: folder / "absent.argosmodel", "is missing"),
        # a damaged wheel or checkout
        ("corrupt", lambda seeded, folder: _truncated(seeded, folder), "not a zip archive"),
        # a full model shipped by mistake would shadow nothing but must never win silently
        (
            "no reference marker",
            lambda seeded, folder: _repack(seeded, folder / "b.argosmodel"),
            '"reference": true',
        ),
    ],
)
def test_bad_bundled_model_is_one_line_naming_the_file(
    seeded_package: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case,
    make_bundled,
    fragment,
) -> None:
    bundled = make_bundled(seeded_package, tmp_path)
    monkeypatch.setenv(models.BUNDLED_ENV, str(bundled))
    folder = tmp_path / "models"
    result = CliRunner().invoke(
        main, ["model", "install", "--bundled", "--models-dir", str(folder)]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bundled}:")
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert models.list_models(str(folder)) == []


def test_bundled_never_shadows_a_full_model(
    installed: Path, seeded_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(models.BUNDLED_ENV, str(_reference_package(seeded_package, tmp_path)))
    before = _snapshot(installed)
    result = CliRunner().invoke(
        main, ["model", "install", "--bundled", "--models-dir", str(installed)]
    )
    assert result.exit_code == 0, result.output
    assert f"a full nl→en model is installed ({INSTALLED} 1.0)" in result.stdout
    assert _snapshot(installed) == before


def test_full_model_wins_over_a_newer_reference_model(
    installed: Path, seeded_package: Path, tmp_path: Path
) -> None:
    reference = _reference_package(seeded_package, tmp_path, package_version="9.0")
    models.install_from_file(reference, str(installed))
    assert models.find_model(str(installed), "nl", "en").name == INSTALLED
    models.remove_model(INSTALLED, str(installed))
    assert models.find_model(str(installed), "nl", "en").name == "translate-nl_en-reference"


def test_or_bundled_offline_installs_the_bundled_model_and_says_so(
    seeded_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # conftest points the index at a closed local port
    monkeypatch.setenv(models.BUNDLED_ENV, str(_reference_package(seeded_package, tmp_path)))
    folder = tmp_path / "models"
    result = CliRunner().invoke(
        main, ["model", "install", "--or-bundled", "--models-dir", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "offline: installed the bundled reference model (trained on software documentation; "
        "its English is unusable outside that domain: install translate-nl_en when online)"
    )
    assert [m.name for m in models.list_models(str(folder))] == ["translate-nl_en-reference"]


def test_or_bundled_falls_back_when_the_index_fails_otherwise(
    seeded_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(models.BUNDLED_ENV, str(_reference_package(seeded_package, tmp_path)))
    index = tmp_path / "index.json"
    index.write_text("[]")  # reachable, but no nl→en package
    result = CliRunner().invoke(
        main,
        [
            "model",
            "install",
            "--or-bundled",
            "--index-url",
            index.as_uri(),
            "--models-dir",
            str(tmp_path / "models"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("the Argos index install failed (the Argos package index at")
    assert "has no nl→en package): installed the bundled reference model" in result.stdout


def test_or_bundled_with_both_failing_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(models.BUNDLED_ENV, str(tmp_path / "absent.argosmodel"))
    result = CliRunner().invoke(
        main, ["model", "install", "--or-bundled", "--models-dir", str(tmp_path / "m")]
    )
    assert result.exit_code == 1
    assert "offline?" in result.stderr and "absent.argosmodel" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # the reported bug: no trailing slash made `...:8765index.json`
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/index.json"),
        # Argos's own form, with the slash
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765/index.json"),
        # a folder below the host, without the slash
        ("https://example.org/argos/main", "https://example.org/argos/main/index.json"),
        # the JSON file itself is taken as given
        ("https://example.org/x/index.json", "https://example.org/x/index.json"),
        # a local mirror
        ("file:///srv/argos/", "file:///srv/argos/index.json"),
    ],
)
def test_index_url_is_joined_with_or_without_trailing_slash(given, expected) -> None:
    assert models.index_json_url(given) == expected


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("http://127.0.0.1:87x", "bad package index URL"),  # the port is not a number
        ("ftp://example.org/", "expected http://, https:// or file://"),  # no ftp support
        ("127.0.0.1:8765", "expected http://, https:// or file://"),  # scheme forgotten
        ("http:///index.json", "expected http://, https:// or file://"),  # no host
        ("http://example.org/a b/", "contains spaces"),  # would be sent broken
    ],
)
def test_bad_index_url_is_one_line(tmp_path: Path, given, fragment) -> None:
    result = CliRunner().invoke(
        main, ["model", "install", "--index-url", given, "--models-dir", str(tmp_path / "m")]
    )
    assert result.exit_code == 1
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_offline_message_names_where_to_download_and_the_exact_commands(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "model",
            "install",
            "--index-url",
            "http://127.0.0.1:9",
            "--models-dir",
            str(tmp_path / "m"),
        ],
    )
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    for needed in (
        "http://127.0.0.1:9/index.json",
        "https://www.argosopentech.com/argospm/index/",
        "`.venv/bin/toolkit model install --file PATH/translate-nl_en-1_9.argosmodel`",
        "`.venv/bin/toolkit model install --bundled`",
    ):
        assert needed in line


def test_install_from_index_downloads_with_progress(local_index: str, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    info = models.install_from_index(
        str(tmp_path / "models"), progress=lambda d, t: seen.append((d, t)), index_url=local_index
    )
    assert info.name == INSTALLED
    assert (tmp_path / "models" / INSTALLED / "model" / "model.bin").is_file()
    assert seen and seen[-1][0] == seen[-1][1]  # the bar reached the full size


def test_argos_package_index_without_trailing_slash_installs(
    local_index: str, tmp_path: Path
) -> None:
    # argostranslate reads ARGOS_PACKAGE_INDEX at import: a fresh process sees the variable
    env = {**os.environ, "ARGOS_PACKAGE_INDEX": local_index.rstrip("/")}
    folder = tmp_path / "models"
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "model", "install", "--models-dir", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"installed {INSTALLED} 1.0" in result.stdout
    assert (folder / INSTALLED / "model" / "model.bin").is_file()


def test_index_with_a_file_link_outside_http_is_not_followed(tmp_path: Path) -> None:
    # an index is remote data: a link with another scheme (here ftp) is skipped
    index = tmp_path / "index.json"
    index.write_text(json.dumps([{**GOOD_METADATA, "links": ["ftp://example.org/p.argosmodel"]}]))
    with pytest.raises(models.OfflineError):
        models.install_from_index(str(tmp_path / "m"), index_url=index.as_uri())


def test_oversized_index_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = tmp_path / "index.json"
    index.write_text("[" + ",".join(["{}"] * 100) + "]")
    monkeypatch.setattr(models, "MAX_INDEX_BYTES", 64)
    with pytest.raises(UserError, match="is over 0 MiB"):
        models.install_from_index(str(tmp_path / "m"), index_url=index.as_uri())


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(root)),
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def test_oversized_download_is_refused(
    seeded_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "www"
    root.mkdir()
    shutil.copy(seeded_package, root / "p.argosmodel")
    server, base = _serve(root)
    try:
        (root / "index.json").write_text(
            json.dumps([{**GOOD_METADATA, "links": [base + "p.argosmodel"]}])
        )
        monkeypatch.setattr(models, "MAX_DOWNLOAD_BYTES", 1000)
        with pytest.raises(UserError, match="exceeds"):
            models.install_from_index(str(tmp_path / "m"), index_url=base)
    finally:
        server.shutdown()
    assert models.list_models(str(tmp_path / "m")) == []


def _relabel_german(package: Path, target: Path) -> Path:
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("metadata.json"):
                data = json.dumps({**json.loads(data), "from_code": "de"}).encode()
            dst.writestr(info, data)
    return target


def _without(part: str):
    def make(package: Path, target: Path) -> Path:
        with zipfile.ZipFile(package) as src, zipfile.ZipFile(target, "w") as dst:
            for info in src.infolist():
                if part not in info.filename:
                    dst.writestr(info, src.read(info))
        return target

    return make


@pytest.mark.parametrize(
    ("make_bad", "message"),
    [
        # a file that is not a zip at all
        (lambda pkg, out: (out.write_text("hello"), out)[1], "not a zip archive"),
        # a download cut off half way
        (lambda pkg, out: _truncated(pkg, out.parent), "not a zip archive"),
        # a package for another language pair
        (_relabel_german, "wrong language pair"),
        # a zip without the CTranslate2 model
        (_without("model.bin"), "no model/model.bin"),
        # a zip without metadata.json
        (_without("metadata"), "no metadata.json"),
        # a zip without a tokenizer
        (_without("sentencepiece"), "no tokenizer"),
    ],
)
def test_bad_package_files_are_refused(seeded_package, tmp_path, make_bad, message) -> None:
    bad = make_bad(seeded_package, tmp_path / "bad.argosmodel")
    folder = tmp_path / "models"
    with pytest.raises(UserError, match=message) as caught:
        models.install_from_file(bad, str(folder))
    assert str(caught.value).startswith(str(bad))
    assert not list(folder.glob("*/metadata.json"))


def _replace_member(ending: str, data: bytes):
    """A copy of the package whose member ending in `ending` holds `data` instead."""

    def make(package: Path, target: Path) -> Path:
        with zipfile.ZipFile(package) as src, zipfile.ZipFile(target, "w") as dst:
            names = [info.filename for info in src.infolist()]
            assert any(name.endswith(ending) for name in names), names
            for info in src.infolist():
                dst.writestr(info, data if info.filename.endswith(ending) else src.read(info))
        return target

    return make


@pytest.mark.parametrize(
    "make_bad",
    [
        # a model.bin of another format version or simply damaged: "Unsupported model binary
        # version" on every later document, after the working install had been deleted
        _replace_member("model/model.bin", b"\x07\x00\x00\x00" + b"\x00" * 64),
        # a SentencePiece model that is not one: "could not parse ModelProto"
        _replace_member("sentencepiece.model", b"not a sentencepiece model"),
        # a CTranslate2 config.json that is not JSON
        _replace_member("model/config.json", b"{broken"),
        # a vocabulary that does not fit the model's weights
        _replace_member("_vocabulary.json", b'["<unk>", "<s>", "</s>"]'),
    ],
    ids=["model.bin", "sentencepiece.model", "config.json", "vocabulary"],
)
def test_a_package_whose_model_cannot_translate_keeps_the_working_install(
    installed: Path, seeded_package: Path, tmp_path: Path, make_bad
) -> None:
    # issue 23, case 2: each passed the file checks and replaced the working model
    bad = make_bad(seeded_package, tmp_path / "bad.argosmodel")
    before = _snapshot(installed)
    with pytest.raises(UserError, match="does not load or translate") as caught:
        models.install_from_file(bad, str(installed))
    assert "\n" not in str(caught.value)
    assert _snapshot(installed) == before
    assert not [p for p in installed.iterdir() if p.name.startswith(".toolkit-s")]
    from toolkit.engines.argos import ArgosEngine
    from toolkit.engines.base import EngineSettings

    engine = ArgosEngine(EngineSettings(models_dir=str(installed), max_decoding_length=8))
    assert engine.translate(["Een zin."])[0].text  # the old install still translates
