"""toolkit.toml through the command line: the glossary is hard to lose, options override it.

Issue 15: without `--glossary`, `translate` enforced nothing and said nothing, `review status`
reported 0 term violations with exit 0, and `glossary lint` outside the checkout failed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SEEDS

from toolkit.cli import main
from toolkit.config import DECODING, decoding_default

GLOSSARY = REPO / "glossary" / "nl-en.tsv"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team's project: seeds/, its glossary and a toolkit.toml naming it; the cwd is inside."""
    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    (root / "terms").mkdir()
    for seed in SEEDS:
        shutil.copy(seed, root / "seeds" / seed.name)
    shutil.copy(GLOSSARY, root / "terms" / "nl-en.tsv")
    (root / "toolkit.toml").write_text('glossary = "terms/nl-en.tsv"\nengine = "scripted"\n')
    monkeypatch.chdir(root)
    monkeypatch.delenv("TOOLKIT_CONFIG", raising=False)
    monkeypatch.delenv("TOOLKIT_GLOSSARY", raising=False)
    return root


def _invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_translate_enforces_the_configured_glossary_by_default(project: Path) -> None:
    # broke: without --glossary nothing was enforced and the summary did not say so
    result = _invoke("translate", "seeds", "-o", "out", "--report", "run.json")
    assert result.exit_code == 0, result.output
    assert "115 repaired" in result.stderr
    assert "glossary: terms/nl-en.tsv (59 entries, sha256" in result.stderr
    report = json.loads((project / "run.json").read_text())
    assert report["glossary"].startswith("terms/nl-en.tsv (59 entries")
    assert report["engine"].startswith("scripted")  # the config's engine


def test_no_glossary_turns_it_off_and_says_so(project: Path) -> None:
    result = _invoke("translate", "seeds", "-o", "out", "--no-glossary", "--report", "run.json")
    assert result.exit_code == 0, result.output
    assert "repaired" not in result.stderr
    assert result.stderr.rstrip().endswith("; no glossary")
    assert json.loads((project / "run.json").read_text())["glossary"] == "no glossary"


def test_command_line_overrides_the_config(project: Path) -> None:
    (project / "toolkit.toml").write_text(
        'glossary = "terms/nl-en.tsv"\nengine = "scripted"\nformats = ["po", "tsv"]\n'
    )
    result = _invoke("translate", "seeds", "-o", "out", "--engine", "none", "--format", "xliff")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (project / "out").iterdir() if p.is_file())
    assert all(name.endswith((".nl-en.xlf", ".en.txt")) for name in written), written
    assert "not-checked" in result.stderr  # --engine none won over the config's scripted


def test_config_formats_are_the_default(project: Path) -> None:
    (project / "toolkit.toml").write_text('engine = "none"\nformats = ["po", "tsv"]\n')
    assert _invoke("translate", "seeds", "-o", "out").exit_code == 0
    assert (project / "out" / f"{SEEDS[0].stem}.nl-en.tsv").is_file()


def test_review_status_uses_the_configured_glossary(project: Path) -> None:
    # broke: `review status out/*.po` said 0 term violations, exit 0, without --glossary
    assert _invoke("translate", "seeds", "-o", "out").exit_code == 0
    pos = sorted(str(p) for p in (project / "out").glob("*.po"))
    result = _invoke("review", "status", *pos)
    assert result.exit_code == 1
    assert "1 term violations" in result.stdout
    assert f"glossary: terms/nl-en.tsv (from {project / 'toolkit.toml'})" in result.stderr
    unchecked = _invoke("review", "status", *pos, "--no-glossary")
    assert unchecked.exit_code == 0
    assert "no glossary: term violations not checked" in unchecked.stderr


@pytest.mark.parametrize(
    ("where", "args"),
    [
        # broke: the default glossary/nl-en.tsv was relative to the current folder
        ("seeds", ["glossary", "lint"]),
        # scan takes the same default
        ("seeds", ["glossary", "scan", SEEDS[0].name]),
        # export too
        ("seeds", ["glossary", "export", "--format", "csv", "-o", "g.csv"]),
    ],
)
def test_glossary_commands_find_the_configured_glossary_from_a_subfolder(
    project: Path, monkeypatch: pytest.MonkeyPatch, where: str, args: list[str]
) -> None:
    monkeypatch.chdir(project / where)
    result = _invoke(*args)
    assert result.exit_code == 0, result.output
    assert f"glossary: {project / 'terms' / 'nl-en.tsv'} (from {project / 'toolkit.toml'})" in (
        result.stderr
    )


def test_glossary_lint_without_any_glossary_says_how_to_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOOLKIT_CONFIG", raising=False)
    monkeypatch.delenv("TOOLKIT_GLOSSARY", raising=False)
    result = _invoke("glossary", "lint")
    assert result.exit_code == 2
    assert "Error: no glossary given and none configured (no toolkit.toml found)" in result.stderr
    assert "Traceback" not in result.output


def test_toolkit_config_names_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "team.toml"
    config.write_text(f'glossary = "{GLOSSARY}"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["glossary", "lint"], env={"TOOLKIT_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    assert f"{GLOSSARY}: 59 entries, no problems" in result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a typo in a key: one line at the file and line, not a silent default
        ('engine = "none"\nglosary = "g.tsv"\n', "toolkit.toml:2: unknown key 'glosary'"),
        # a value out of range: the same check as the option's
        ("[decoding]\nbeam-size = 0\n", "toolkit.toml:2: beam-size = 0 is out of range"),
    ],
)
def test_a_bad_config_is_one_line(project: Path, text: str, expected: str) -> None:
    (project / "toolkit.toml").write_text(text)
    result = _invoke("translate", "seeds", "-o", "out")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and expected in line


def test_decoding_options_come_from_engine_settings(project: Path) -> None:
    # settings declared once: every decoding field is an option, its default the dataclass's
    help_text = _invoke("translate", "--help").output
    for name in DECODING:
        option = f"--{name.replace('_', '-')}"
        assert option in help_text
        assert f"[default: ({decoding_default(name)})" in " ".join(help_text.split())


def test_decoding_settings_from_the_config_reach_the_engine(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a plug-in named by a project file runs only once the user has allowed it (issue 23)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    user = tmp_path / "home-config" / "toolkit" / "toolkit.toml"
    user.parent.mkdir(parents=True)
    user.write_text('allow-engines = ["test_project_config_cli:SettingsEngine"]\n')
    (project / "toolkit.toml").write_text(
        'engine = "test_project_config_cli:SettingsEngine"\n[decoding]\nbeam-size = 3\n'
    )
    result = _invoke("translate", "seeds", "-o", "out", "--max-batch-size", "5")
    assert result.exit_code == 0, result.output
    english = (project / "out" / f"{SEEDS[0].stem}.en.txt").read_text("utf-8")
    assert english.startswith("beam 3 batch 5")


class SettingsEngine:
    """Writes the settings it was built with as its translation."""

    name = "settings"

    def __init__(self, settings) -> None:
        self.settings = settings

    def describe(self) -> str:
        return "settings engine"

    def translate(self, sources, num_hypotheses=1):
        from toolkit.engines.base import Hypothesis, Translation

        text = f"beam {self.settings.beam_size} batch {self.settings.max_batch_size}"
        return [Translation((Hypothesis(text, None),)) for _ in sources]


def test_the_enforcement_budget_comes_from_the_config_and_the_command_line(project: Path) -> None:
    (project / "toolkit.toml").write_text(
        'glossary = "terms/nl-en.tsv"\nengine = "scripted"\nenforcement-budget = 0\n'
    )
    result = _invoke("translate", "seeds", "-o", "a", "--report", "a.json")
    assert result.exit_code == 0, result.output
    assert json.loads((project / "a.json").read_text())["glossary"].endswith(
        "enforcement budget 0)"
    )
    # budget 0: no decoding step runs, so injection repairs nothing; post-edit still does
    assert "inject" not in (project / "a" / f"{SEEDS[0].stem}.nl-en.po").read_text()
    result = _invoke(
        "translate", "seeds", "-o", "b", "--enforcement-budget", "none", "--report", "b.json"
    )
    assert result.exit_code == 0, result.output
    assert "enforcement budget none)" in json.loads((project / "b.json").read_text())["glossary"]
    assert "inject" in (project / "b" / f"{SEEDS[0].stem}.nl-en.po").read_text()


def test_a_bad_enforcement_budget_is_one_line(project: Path) -> None:
    result = _invoke("translate", "seeds", "-o", "out", "--enforcement-budget", "-1")
    assert result.exit_code == 2
    assert "'-1' is not a share; give a number ≥ 0 (e.g. 0.5) or none" in result.output


def _user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    """A toolkit.toml in the user's platform config folder ($XDG_CONFIG_HOME/toolkit)."""
    home = tmp_path / "xdg"
    (home / "toolkit").mkdir(parents=True)
    path = home / "toolkit" / "toolkit.toml"
    path.write_text(text)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("TOOLKIT_CONFIG", raising=False)
    monkeypatch.delenv("TOOLKIT_GLOSSARY", raising=False)
    return path


def test_a_user_level_config_serves_outside_any_project(tmp_path, monkeypatch) -> None:
    # issue 22: run from another folder, no toolkit.toml was found and no glossary used
    user = _user_config(tmp_path, monkeypatch, f'glossary = "{GLOSSARY}"\nengine = "scripted"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SEEDS[0], elsewhere / "x.txt")
    monkeypatch.chdir(elsewhere)
    result = _invoke("translate", "x.txt", "-o", "o", "--quiet")
    assert result.exit_code == 0, result.output
    assert f"glossary: {GLOSSARY} (59 entries" in result.stderr
    shown = _invoke("config")
    assert shown.exit_code == 0, shown.output
    assert f"user: {user}" in shown.stdout
    assert "project: none found" in shown.stdout
    assert f"glossary: {GLOSSARY} (from {user})" in shown.stdout


def test_the_projects_own_config_comes_first(project, tmp_path, monkeypatch) -> None:
    user = _user_config(tmp_path, monkeypatch, 'formats = ["po", "tsv"]\nengine = "none"\n')
    shown = _invoke("config")
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[:2] == [f"project: {project / 'toolkit.toml'}", f"user: {user}"]
    assert f"glossary: {project / 'terms' / 'nl-en.tsv'} (from {project / 'toolkit.toml'})" in lines
    assert f"engine: scripted (from {project / 'toolkit.toml'})" in lines  # project wins
    assert f"formats: po,tsv (from {user})" in lines  # the user's fills what it leaves out
    result = _invoke("translate", "seeds", "-o", "out", "--quiet")
    assert result.exit_code == 0, result.output
    assert (project / "out" / f"{SEEDS[0].stem}.nl-en.tsv").is_file()


def test_toolkit_config_env_replaces_both(project, tmp_path, monkeypatch) -> None:
    _user_config(tmp_path, monkeypatch, 'engine = "none"\n')
    named = tmp_path / "team.toml"
    named.write_text('engine = "adversarial"\n')
    monkeypatch.setenv("TOOLKIT_CONFIG", str(named))
    shown = _invoke("config")
    assert shown.stdout.splitlines()[0] == f"TOOLKIT_CONFIG: {named}"
    assert f"engine: adversarial (from {named})" in shown.stdout
    assert "glossary: none" in shown.stdout
