"""What start-up no longer does, and that each shortcut gives what the long way gave (issue 29).

* a plugin's distribution name and version are read from the top of its metadata file, not by
  parsing the whole file with ``email.parser`` (with the standard library's parse as the fallback);
* the frameworks plugin finds its folder without ``importlib.resources`` (which stays the fallback);
* the table report draws its tables with ``efl.reports.text_table``, not tabulate;
* the HTML report imports ``html`` when it escapes, and the workforce reader compiles its "looks
  like" patterns when a file first has a column efl does not read.
"""

from __future__ import annotations

import email
import html
from importlib.metadata import distributions
from importlib.resources import files
from pathlib import Path

import pytest

from efl.core import plugin_host
from efl.core.plugin_host import name_and_version
from efl.testing import run_efl

ROOT = Path(__file__).resolve().parent.parent


class FakeDistribution:
    """A distribution whose metadata file is ``text`` (``None``: it has none; an exception: unreadable)."""

    def __init__(self, text, pkg_info=None):  # noqa: ANN001
        self.text = text
        self.pkg_info = pkg_info
        self.asked_for_metadata = 0

    def read_text(self, name: str):  # noqa: ANN201
        if isinstance(self.text, Exception):
            raise self.text
        return {"METADATA": self.text, "PKG-INFO": self.pkg_info}.get(name)

    @property
    def metadata(self):  # noqa: ANN201 - what importlib.metadata does: the email parser on the file
        self.asked_for_metadata += 1
        return email.message_from_string(self.text or self.pkg_info or "")


# -- name_and_version -----------------------------------------------------------------------------

def test_every_installed_distribution_reads_as_the_standard_library_reads_it():
    read = 0
    for dist in distributions():
        found = name_and_version(dist)
        if found is not None:
            read += 1
            assert found == (dist.metadata["Name"], dist.metadata["Version"]), dist
    assert read > 0


def test_efl_itself_is_read_without_the_fallback():
    dist = next(d for d in distributions() if d.metadata["Name"] == "efl")
    assert name_and_version(dist) == ("efl", dist.metadata["Version"])


# Headers the short reader follows: it must give exactly what the email parser gives.
FOLLOWED = [
    "Metadata-Version: 2.4\nName: efl\nVersion: 0.1.0\n\nThe README.\nName: not this\n",
    "Name: a-b\r\nVersion: 1.0\r\nSummary: CRLF line ends\r\n\r\nbody\r\n",
    "name: lower-case-header\nVERSION:2.0\n",  # header names in any case; no space after the colon
    "Name:\t  spaced  \nVersion: 3 \n",  # leading blanks go, trailing ones stay
    "Name: first\nName: second\nVersion: 1\n",  # the first of two
    "Name: x\nLicense: MIT\n  folded licence text\n\tmore of it\nVersion: 4\n",  # another header folded
    "Name: x\nVersion: 5",  # no line break at the end
    "Name: £ unicode\nVersion: 6\n",
]


@pytest.mark.parametrize("text", FOLLOWED)
def test_followed_headers_give_what_the_email_parser_gives(text):
    parsed = email.message_from_string(text)
    assert name_and_version(FakeDistribution(text)) == (parsed["Name"], parsed["Version"])


# Headers it does not follow: it says so (None), and the caller asks dist.metadata.
NOT_FOLLOWED = [
    "Name: folded\n  name\nVersion: 1\n",  # the Name itself folded
    "Name: x\nVersion: 1\n  .post1\n",  # the Version folded
    "Metadata-Version: 2.1\nnot a header\nName: x\nVersion: 1\n",  # the parser's body starts there
    "Name x: y\nName: x\nVersion: 1\n",  # a space in a header's name
    "Name: x\rVersion: 1\n",  # a bare CR is a line break to the email parser
    "Name: x\n\nVersion: 1\n",  # the Version is in the body
    "Version: 1\n",  # no Name
    "  Name: x\nVersion: 1\n",  # a folded line before any header
    "",
]


@pytest.mark.parametrize("text", NOT_FOLLOWED)
def test_headers_it_does_not_follow_give_none(text):
    assert name_and_version(FakeDistribution(text)) is None


def test_pkg_info_when_there_is_no_metadata_file():
    assert name_and_version(FakeDistribution(None, "Name: old\nVersion: 0.9\n")) == ("old", "0.9")
    assert name_and_version(FakeDistribution(None)) is None


def test_an_unreadable_file_gives_none():
    assert name_and_version(FakeDistribution(PermissionError("no"))) is None


class FakeEntryPoint:
    def __init__(self, dist):  # noqa: ANN001
        self.dist = dist


def test_about_falls_back_to_the_standard_library_and_reads_each_distribution_once():
    about = plugin_host._distributions()
    folded = FakeDistribution("Name: folded\n  name\nVersion: 7\n")
    plain = FakeDistribution("Name: plain\nVersion: 8\n")
    assert about(FakeEntryPoint(folded)) == ("folded\n  name", "7")  # as email folds it, unchanged
    assert about(FakeEntryPoint(folded)) == ("folded\n  name", "7")
    assert folded.asked_for_metadata == 1
    assert about(FakeEntryPoint(plain)) == ("plain", "8")
    assert plain.asked_for_metadata == 0
    assert about(FakeEntryPoint(None)) == ("?", "?")


def test_efl_plugins_names_each_distribution():
    result = run_efl("plugins", "--json").assert_success()
    rows = {p["name"]: p for p in result.json}
    assert rows["rules"]["distribution"] == "efl" and rows["rules"]["builtin"] is True
    dists = {d.metadata["Name"]: d.metadata["Version"] for d in distributions()}
    for row in result.json:
        assert dists[row["distribution"]] == row["version"]


# -- the frameworks plugin's folder ---------------------------------------------------------------

def test_the_frameworks_folder_is_where_importlib_resources_says(monkeypatch):
    import efl_frameworks
    from efl_plugins import frameworks

    expected = Path(str(files("efl_frameworks")))
    assert frameworks.folder() == expected
    assert (frameworks.folder() / "eflg-2014.yaml").is_file()
    monkeypatch.setattr(efl_frameworks, "__file__", None)  # as a namespace package has it
    assert frameworks.folder() == expected


# -- the table report without tabulate ------------------------------------------------------------

@pytest.mark.parametrize("folder", ["bexley", "bexley-peer", "harrow"])
def test_the_table_report_is_what_tabulate_drew(folder, monkeypatch):
    from tabulate import tabulate

    import efl.provisional

    drawn_by_tabulate = []

    def with_tabulate(rows, headers, maxcolwidths):  # noqa: ANN001, ANN202
        drawn_by_tabulate.append(headers)
        return tabulate(rows, headers=headers, tablefmt="simple", maxcolwidths=maxcolwidths)

    args = ("assess", str(ROOT / "assessments" / folder), "--explain")
    drawn = run_efl(*args)
    monkeypatch.setattr(efl.provisional, "simple_table", with_tabulate, raising=False)
    by_tabulate = run_efl(*args)
    assert len(drawn_by_tabulate) >= 2  # the areas and the facts at least
    assert (drawn.exit_code, drawn.output) == (by_tabulate.exit_code, by_tabulate.output)
    assert "Level the evidence supports" in drawn.output


# -- html and the looks-like patterns, when first needed ------------------------------------------

def test_html_escaping_is_the_standard_librarys():
    from efl_plugins.html_report import _e

    text = "<a href=\"x\">Tom & Jerry's</a>"
    assert _e(text) == html.escape(text, quote=True)
    assert _e(12) == "12"


def test_the_looks_like_patterns_are_the_words_compiled():
    from efl_plugins.readers import workforce_columns as wc

    assert [(c, p.pattern) for c, p in wc._looks_like()] == list(wc._LOOKS_LIKE_WORDS)
    assert wc._looks_like() is wc._looks_like()  # compiled once
    headers = ["Employee Number", "Hourly wage amount", "Notes"]
    plan = wc.plan_columns(headers, ["employee_id", "hourly_pay"], {})
    assert plan.unread == [1, 2]
    assert plan.looks_like == {1: ["hourly_pay"]}  # "Notes" looks like nothing
    assert wc.plan_columns(headers, ["employee_id"], {}).looks_like == {}  # only columns efl was asked for


# -- dataclasses with their own docstrings ---------------------------------------------------------

START_UP_MODULES = ["efl.core.plugin_api", "efl.core.plugin_host", "efl.core.framework", "efl.core.engine",
                    "efl.law.dates", "efl.law.calendar", "efl.law.statutory", "efl.workforce.classification"]


@pytest.mark.parametrize("name", START_UP_MODULES)
def test_start_up_dataclasses_have_docstrings(name):
    """Without one, ``dataclasses`` writes ``Name(field: type, ...)`` as the docstring, working out the
    class's signature with ``inspect`` as every start-up imports the module."""
    import dataclasses
    import importlib

    module = importlib.import_module(name)
    classes = [c for c in vars(module).values()
               if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == name]
    assert classes
    for cls in classes:
        assert cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("), cls
