"""A test kit for plugin authors (and for efl's own tests).

Three helpers, each also a pytest fixture once efl is installed (efl registers this module with
pytest through the ``pytest11`` entry point, so no ``conftest.py`` is needed)::

    def test_my_rule(efl_folder, efl_run):
        folder = efl_folder({"assessment.yaml": {...}, "evidence/staff.csv": "id,sex\\n1,female\\n"})
        result = efl_run("assess", folder, "--format", "json").assert_success()
        assert result.json["areas"][0]["level"] == "achieving"

* :func:`make_folder` writes an assessment folder from a dict of files (text, bytes, or a dict or
  list that is written as YAML).
* :func:`run_efl` runs the ``efl`` command in-process and returns a :class:`CliResult` with the exit
  code, standard output, standard error and the output parsed as JSON.
* Pass ``plugins=[("name", plugin)]`` to :func:`run_efl` (or :func:`load_host`) to register an inline
  plugin (a module, class instance or object with ``@efl.hookimpl`` functions) beside the installed
  ones, without packaging it.

This module imports only click at import time, so loading it into every pytest run costs nothing.
"""

import json as _json
import textwrap as _textwrap
from collections.abc import Iterable as _Iterable
from collections.abc import Mapping as _Mapping
from collections.abc import Sequence as _Sequence
from dataclasses import dataclass as _dataclass
from pathlib import Path as _Path
from typing import Any as _Any

__all__ = ["CliResult", "load_host", "make_folder", "run_efl"]  # and the two fixtures, with pytest

# What a file of a folder may be given as: text, bytes, or data written as YAML.
_FileContent = str | bytes | _Mapping[str, _Any] | list


def make_folder(root: _Path | str, files: _Mapping[str, _FileContent]) -> _Path:
    """Write ``files`` (relative path → content) under ``root`` and return ``root``.

    Text is dedented, so triple-quoted literals can be indented with the test. A dict or list is
    written as YAML (block style, keys in the order given). Parent folders are created.
    """
    root = _Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(_textwrap.dedent(content), encoding="utf-8")
        else:
            path.write_text(_to_yaml(content), encoding="utf-8")
    return root


def _to_yaml(data: _Any) -> str:
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # keep the order the test wrote
    buffer = io.StringIO()
    yaml.dump(_plain(data), buffer)
    return buffer.getvalue()


def _plain(data: _Any) -> _Any:
    """Dates and paths as text, so the YAML reads the way a person would write it."""
    if isinstance(data, _Mapping):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    if isinstance(data, _Path):
        return str(data)
    return data


@_dataclass
class CliResult:
    """What one ``efl`` command did."""

    args: list[str]
    exit_code: int
    output: str
    stderr: str
    exception: BaseException | None = None

    @property
    def json(self) -> _Any:
        """Standard output parsed as JSON (fails the test with the output shown if it is not JSON)."""
        try:
            return _json.loads(self.output)
        except _json.JSONDecodeError as error:
            raise AssertionError(f"efl {' '.join(self.args)} did not print JSON ({error}):\n{self.output}") from None

    def assert_success(self) -> "CliResult":
        """Fail with the command's messages unless it exited 0; return self for chaining."""
        return self.assert_exit(0)

    def assert_exit(self, code: int) -> "CliResult":
        """Fail with the command's messages unless it exited with ``code``; return self."""
        if self.exit_code != code:
            detail = ""
            if self.exception is not None and not isinstance(self.exception, SystemExit):
                import traceback

                detail = "".join(traceback.format_exception(self.exception))
            raise AssertionError(f"efl {' '.join(self.args)} exited {self.exit_code}, expected {code}\n"
                                 f"--- stdout\n{self.output}--- stderr\n{self.stderr}{detail}")
        return self


def run_efl(*args: _Any, plugins: _Sequence[tuple[str, object]] = (), env: _Mapping[str, str] | None = None,
            input: str | None = None) -> CliResult:
    """Run ``efl ARGS...`` in this process and capture what it does.

    :param args: command-line arguments; paths and numbers are turned into text.
    :param plugins: inline plugins to register as ``(name, plugin)`` pairs, beside the installed ones.
    :param env: environment variables to set for the run (e.g. ``EFL_DISABLE_PLUGIN_AUTOLOAD``).
    """
    from click.testing import CliRunner

    from efl.cli import cli

    argv = [str(a) for a in args]
    runner = CliRunner()
    outcome = runner.invoke(cli, argv, obj=list(plugins), env=dict(env or {}), input=input)
    return CliResult(argv, outcome.exit_code, outcome.stdout, outcome.stderr, outcome.exception)


def load_host(plugins: _Iterable[tuple[str, object]] = (), switches: _Sequence[str] = (), autoload: bool | None = None):  # noqa: ANN201
    """A plugin host as ``efl`` builds it, with inline ``plugins`` added (for calling the engine directly)."""
    from efl.core.plugin_host import load_plugins

    return load_plugins(tuple(switches), autoload=autoload, extra=list(plugins))


# --- pytest fixtures (registered through the pytest11 entry point) ---------------------------------

try:
    import pytest as _pytest
except ImportError:  # the kit's functions work without pytest
    _pytest = None

if _pytest is not None:
    __all__ += ["efl_folder", "efl_run"]

    @_pytest.fixture
    def efl_folder(tmp_path):
        """A function ``efl_folder(files, name="assessment")`` that writes a folder under ``tmp_path``."""

        def build(files: _Mapping[str, _FileContent], name: str = "assessment") -> _Path:
            return make_folder(tmp_path / name, files)

        return build

    @_pytest.fixture
    def efl_run():
        """The :func:`run_efl` function."""
        return run_efl


def __dir__() -> list:
    return list(__all__)
