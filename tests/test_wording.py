"""Every sentence people read, in every format, against a list of banned patterns (issue 19).

Each worked example is rendered as the table, Markdown, HTML and CSV reports, and all of them
together as the many-folder summary. The text people read is taken out of each (HTML without its
markup; the CSV without its "Criterion id" column, which is there for matching rows, not reading;
the HTML's "Where this comes from" section, a list of files and fingerprints, is left out) and
checked: no "(s)" plurals, "1 actions", internal ids, long decimals, "-0.0", ISO dates,
citations of files efl does not ship, or words cut short. Ids belong in --explain and JSON only.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from conftest import EXAMPLES
from efl.testing import run_efl

FOLDERS = sorted(p.parent for p in EXAMPLES.glob("*/assessment.yaml"))
FORMATS = ["table", "markdown", "html", "csv"]
NOUNS = ("actions", "areas", "criteria", "items", "folders", "plugins", "characteristics", "objectives",
         "consultations", "files", "groups", "services", "decisions", "problems", "levels", "people", "employees")

BANNED = {
    "an '(s)' plural": re.compile(r"\w\(s\)"),
    "a plural after 1": re.compile(rf"(?<![\d.,])\b1 (?:{'|'.join(NOUNS)})\b"),
    "'any of the 1'": re.compile(r"\bany of the 1\b"),
    "a percentage with more than one decimal place": re.compile(r"\d\.\d{2,}\s?%"),
    "a number with three or more decimal places": re.compile(r"(?<![\w.])\d+\.\d{3,}\b"),
    "minus zero": re.compile(r"(?<![\w.])-0(?:\.0+)?(?![\d.])"),
    "a citation of a file efl does not ship": re.compile(r"\[S\d+\]|eflg-facts|§"),
    "an ISO date (people read 14 November 2025)": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "a cut-off word": re.compile(r"…|\w\.\.\.(?:\s|$)"),
    "a Python value": re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\[\]|\{\}"),
}


class _Text(HTMLParser):
    """The text of an HTML report people read: no markup, style, code or provenance section."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in ("br", "meta", "link", "img", "rect", "line"):
            self.parts.append("\n")
            return
        skip = tag in ("style", "code", "script") or dict(attrs).get("aria-labelledby") == "provenance"
        self._stack.append(skip)
        self._skip += skip
        if tag in ("p", "li", "td", "th", "h1", "h2", "h3", "tr", "caption", "desc", "text", "tspan", "title"):
            self.parts.append("\n")

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("br", "meta", "link", "img", "rect", "line") or not self._stack:
            return
        self._skip -= self._stack.pop()

    def handle_data(self, data):  # noqa: ANN001
        if not self._skip:
            self.parts.append(data)


def people_text(fmt: str, output: str) -> str:
    if fmt == "html":
        parser = _Text()
        parser.feed(output)
        return "".join(parser.parts)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(output.lstrip("\ufeff"))))
        return "\n".join(" | ".join(v for k, v in row.items() if k != "Criterion id") for row in rows)
    return output


def banned_ids(result: dict) -> set[str]:
    """Ids people should never meet in a sentence: criteria, evidence, areas, evidence types, facts."""
    ids = {c["id"] for area in result["areas"] for c in area["criteria"]}
    ids |= {e["id"] for e in result["evidence"]} | {e["type"] for e in result["evidence"]}
    ids |= {f["name"] for f in result["facts"]}
    for area in result["areas"]:
        # An area id that is a word of its own title ("council") is English, not an id.
        if area["id"] not in re.findall(r"\w+", area["title"].lower()):
            ids.add(area["id"])
    # A one-word id with no mark of an id (a dot, hyphen, underscore or digit) could be a plain word.
    return {i for i in ids if re.search(r"[._\-\d]", i) or len(i) <= 5}


def problems(text: str, ids: set[str]) -> list[str]:
    found = []
    for line in text.splitlines():
        for what, pattern in BANNED.items():
            for match in pattern.finditer(line):
                found.append(f"{what}: {match.group(0)!r} in {line.strip()!r}")
        for word in ids:
            if re.search(rf"(?<![\w./\-]){re.escape(word)}(?![\w/\-])", line):
                found.append(f"the id {word!r} in {line.strip()!r}")
    return found


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {folder.name: run_efl("assess", folder, "--format", "json").assert_exit(0).json for folder in FOLDERS}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_reports_say_everything_in_plain_english(results, folder, fmt):
    out = run_efl("assess", folder, "--format", fmt).assert_exit(0)
    found = problems(people_text(fmt, out.output), banned_ids(results[folder.name]))
    assert not found, f"{folder.name} as {fmt}:\n" + "\n".join(sorted(set(found)))


def test_the_many_folder_summary_says_everything_in_plain_english(results):
    out = run_efl("assess", EXAMPLES).assert_exit(0)
    ids = set().union(*(banned_ids(r) for r in results.values()))
    found = problems(out.output, ids)
    assert not found, "\n".join(sorted(set(found)))
    assert f"{len(FOLDERS)} folders: " in out.output


def test_the_checker_catches_what_it_is_meant_to():
    """The patterns are only worth something if they fire: one planted sentence per pattern."""
    planted = {
        "an '(s)' plural": "1 'community-profile' item(s) dated within 3 years",
        "a plural after 1": "The action plan has 1 actions.",
        "'any of the 1'": "the lowest level reached by any of the 1 area",
        "a percentage with more than one decimal place": "Only 61.75% of staff",
        "a number with three or more decimal places": "a gap of 76.4706",
        "minus zero": "Weighted kappa -0.0",
        "a citation of a file efl does not ship": "as the research notes say [S52]",
        "an ISO date (people read 14 November 2025)": "due 2026-05-14",
        "a cut-off word": "Leadership, partnership and organisational co…",
        "a Python value": "owner: None",
    }
    assert set(planted) == set(BANNED)
    for what, sentence in planted.items():
        assert any(p.startswith(what) for p in problems(sentence, set())), what
    assert problems("Knowing your communities (kyc.profile)", {"kyc.profile"})
    assert not problems("Only 61.8% of staff; 1 action; 14 November 2025; kappa 0.00", {"kyc.profile"})


def test_efl_show_cites_only_what_people_can_open():
    """Criteria cite efl's research notes ([S19], eflg-facts §4) and seed documents (seed 001), none
    of which ship with efl: 'efl show' gives the web address or the document's name instead."""
    from efl.core.framework import available_frameworks, load_framework
    from efl.core.plugin_host import load_plugins

    host = load_plugins(autoload=False)
    for fid in available_frameworks(host):
        for area in load_framework(host, fid).framework.areas:
            text = run_efl("show", fid, area.id).assert_exit(0).output
            assert not re.search(r"\[S\d+|eflg-facts|§|\bseeds? \d{3}", text), f"{fid} {area.id}:\n{text}"
    text = run_efl("show", "eflg-2014", "kyc").output
    assert "https://dokumen.tips/documents/equality-framework-for-local-government-eflg-2018-version-" \
           "improvement-of-the-quality.html" in text
    assert "the London Borough of Bexley's Equality Policy section 7" in text


def test_source_words_by_hand():
    from efl.reports.sources import source_words

    assert source_words("eflg-facts §3 requirement 3.4 (Excellent) [S31]") == \
        "requirement 3.4 (Excellent) (https://community.newcastle.gov.uk/projects/content/work-local-strategic-partnership)"
    assert source_words("seed 004 action plan") == "Leicester City Council's Corporate Equality Strategy and Action Plan action plan"
    assert source_words("eflg-facts §7") == ""
