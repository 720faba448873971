"""Project configuration: found upwards, paths relative to the file, mistakes at FILE:LINE."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config import DECODING, Config, decoding_default, discover, find_config, load_config
from toolkit.engines.base import EngineSettings
from toolkit.errors import UserError


def _write(folder: Path, text: str, name: str = "toolkit.toml") -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_found_from_a_subfolder_with_paths_relative_to_the_file(tmp_path: Path) -> None:
    _write(
        tmp_path,
        'glossary = "terms/g.tsv"\nformats = ["po", "xliff"]\nmodels-dir = "models"\n'
        'index-url = "index"\n[decoding]\nbeam-size = 2\ncompute-type = "int8"\n',
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = discover(deep)
    assert config.path == tmp_path / "toolkit.toml"
    assert config.glossary == tmp_path / "terms" / "g.tsv"
    assert config.models_dir == tmp_path / "models"
    assert config.index_url == (tmp_path / "index").as_uri()
    assert config.formats == ("po", "xliff")
    assert config.decoding == {"beam_size": 2, "compute_type": "int8"}


def test_pyproject_tool_table_is_a_config(tmp_path: Path) -> None:
    _write(tmp_path, '[project]\nname = "x"\n[tool.toolkit]\nengine = "none"\n', "pyproject.toml")
    config = discover(tmp_path)
    assert config.path == tmp_path / "pyproject.toml" and config.engine == "none"


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    # a pyproject.toml for something else must not hide a toolkit.toml further up
    _write(tmp_path, 'engine = "scripted"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    _write(inner, '[project]\nname = "x"\n', "pyproject.toml")
    assert find_config(inner) == tmp_path / "toolkit.toml"


def test_no_file_is_an_empty_config(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None  # nothing above the test's temporary folder either
    assert discover(tmp_path) == Config()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # a misspelt top-level key: the line and the keys that exist
        ('engine = "argos"\nglosary = "g.tsv"\n', 2, "unknown key 'glosary'; known keys: glossary"),
        # a misspelt decoding key inside its table
        ("\n[decoding]\nbeam-size = 2\nbeam-sise = 4\n", 4, "unknown key 'beam-sise'"),
        # a value of the wrong type
        ('[decoding]\nbeam-size = "4"\n', 2, "beam-size must be a whole number, not '4'"),
        # out of the range the CLI allows
        ("[decoding]\n\nbeam-size = 100\n", 3, "beam-size = 100 is out of range; use from 1 to 64"),
        # a bad item in a list names the item and the choices
        ('formats = ["po", "xlif"]\n', 1, "unknown format 'xlif'; choose from po, xliff"),
        # a comma-separated string is accepted as on the command line, and checked the same
        ('# c\nformats = "po,docx"\n', 2, "unknown format 'docx'"),
        # the glossary must be a path
        ("glossary = 3\n", 1, "glossary must be a path to a glossary TSV, not 3"),
        # TOML syntax errors keep tomllib's line
        ('engine = "argos"\nengine "x"\n', 2, "not valid TOML"),
        # a dotted key written at the top level is found too
        ("decoding.beam-sise = 2\n", 1, "unknown key 'beam-sise'"),
        # the enforcement budget is a share, never negative
        ("\nenforcement-budget = -0.5\n", 2, "enforcement-budget must be a number ≥ 0"),
        ('enforcement-budget = "half"\n', 1, "not 'half'"),
        # issue 23.8: NaN is no share (it passed `< 0` and became a 4-line usage error)
        ("enforcement-budget = nan\n", 1, "a share of the first decoding, not nan"),
        # issue 23.8: an empty item, refused by --formats, was skipped here
        ('formats = "po,,xliff"\n', 1, "formats has an empty item in 'po,,xliff'"),
        # issue 23.6: threads past the machine segfaulted or hung CTranslate2
        ("[decoding]\nintra-threads = 100000\n", 2, "intra-threads = 100000 is out of range"),
    ],
)
def test_mistakes_are_one_line_at_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(UserError) as caught:
        load_config(path)
    text_of_error = str(caught.value)
    assert text_of_error.startswith(f"{path}:{line}: "), text_of_error
    assert message in text_of_error
    assert "\n" not in text_of_error


def test_pyproject_errors_point_into_the_tool_table(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[project]\nengine = "ok here"\n\n[tool.toolkit]\nengine = "none"\nenjin = "x"\n',
        "pyproject.toml",
    )
    with pytest.raises(UserError, match=r"pyproject.toml:6: unknown key 'enjin'"):
        load_config(path)


def test_every_decoding_setting_is_an_engine_settings_field() -> None:
    # declared once: the config keys and CLI options come from these names
    fields = set(EngineSettings.__dataclass_fields__)
    assert set(DECODING) <= fields
    assert decoding_default("beam_size") == EngineSettings().beam_size
    assert decoding_default("inter_threads") == EngineSettings().inter_threads


def test_the_enforcement_budget_is_read_as_a_share(tmp_path: Path) -> None:
    assert load_config(_write(tmp_path, "enforcement-budget = 1\n")).enforcement_budget == 1.0
    assert load_config(_write(tmp_path, "")).enforcement_budget is None  # unset: the default
