"""The papers a committee and the public read (HTML, Markdown, Word), read as they would read them:
no codes, ids, file paths, hashes or tool names in the body; no law cited that was not yet in force;
and prose at Flesch reading ease 60 or above (GOV.UK's reading age of about 9)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import docx
import pytest

from efl.testing import run_efl

from conftest import EXAMPLES
from readability import flesch, syllables
from test_wording import FOLDERS, _Text, banned_ids, results  # noqa: F401 - results is a fixture

PAPERS = ["html", "markdown", "docx"]
BANNED = {
    "an internal code for equality impact assessments": re.compile(r"\beqia\b", re.IGNORECASE),
    "a rule's bookkeeping": re.compile(r"\((?:yes|no) needed\)"),
    "a group named by a raw answer": re.compile(r"group '(?:no|yes|other)'"),
    "a fact's name": re.compile(r"\b(?:council|workforce|communities|leadership|services)\.[a-z_]+\b"),
    "a folder path": re.compile(r"\.\./|\bevidence/"),
    "an abbreviation GOV.UK style avoids": re.compile(r"\be\.g\.|\bi\.e\.|\betc\."),
    "statistics jargon": re.compile(r"\bkappa\b", re.IGNORECASE),
    "a fingerprint": re.compile(r"\b[0-9a-f]{64}\b"),
    "the tool's name": re.compile(r"\befl\b"),
    "shorthand for two sides": re.compile(r"\bA/B\b"),
    "'Not yet' read as a level one is at": re.compile(r"\b(?:at|is|be|supports) Not yet\b"),
}


def paper_text(fmt: str, folder, tmp_path) -> str:
    if fmt == "docx":
        out = tmp_path / f"{folder.name}.docx"
        run_efl("assess", folder, "-o", out).assert_success()
        document = docx.Document(str(out))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        footers = [p.text for s in document.sections for p in s.footer.paragraphs]
        return "\n".join([p.text for p in document.paragraphs] + cells + footers)
    text = run_efl("assess", folder, "--format", fmt).assert_success().output
    if fmt == "html":
        parser = _Text()
        parser.feed(text)
        return "".join(parser.parts)
    return text


@pytest.mark.parametrize("fmt", PAPERS)
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_no_paper_shows_codes_ids_paths_hashes_or_tool_names(results, folder, fmt, tmp_path):
    text = paper_text(fmt, folder, tmp_path)
    found = [f"{what}: {m.group(0)!r} in {line.strip()[:120]!r}" for line in text.splitlines()
             for what, pattern in BANNED.items() for m in pattern.finditer(line)]
    for word in banned_ids(results[folder.name]):
        for line in text.splitlines():
            if re.search(rf"(?<![\w./\-]){re.escape(word)}(?![\w/\-])", line):
                found.append(f"the id {word!r} in {line.strip()[:120]!r}")
    assert not found, f"{folder.name} as {fmt}:\n" + "\n".join(sorted(set(found)))


@pytest.mark.parametrize("fmt", PAPERS)
def test_a_2016_paper_cites_no_law_or_census_from_later(results, fmt, tmp_path):
    """Harrow's assessment is dated 17 March 2016: the 2017 regulations and the 2021 Census did not exist."""
    folder = EXAMPLES / "harrow"
    assert results["harrow"]["assessment"]["date"].startswith("2016")
    text = paper_text(fmt, folder, tmp_path)
    assert "2017/353" not in text and "2021 Census" not in text and "Census 2021" not in text
    assert "SI 2011/2260" in text  # the regulations that were in force are cited


class _Prose(HTMLParser):
    """The sentences efl writes on an HTML page: paragraphs and list items of the main text (not
    tables of the council's own words, the chart, the front sheet or the technical appendix)."""

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self._current: list[str] | None = None
        self._skip = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in ("br", "meta", "link", "img", "rect", "line"):
            return
        skip = tag in ("table", "svg", "nav", "style", "dl", "header", "footer") or \
            dict(attrs).get("aria-labelledby") == "provenance"
        self._stack.append(skip)
        self._skip += skip
        if tag in ("p", "li") and not self._skip:
            self._current = []

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("br", "meta", "link", "img", "rect", "line"):
            return
        if tag in ("p", "li") and self._current is not None:
            self.out.append("".join(self._current).strip())
            self._current = None
        if self._stack:
            self._skip -= self._stack.pop()

    def handle_data(self, data):  # noqa: ANN001
        if self._current is not None and not self._skip:
            self._current.append(data)


def prose(fmt: str, folder, tmp_path) -> str:
    if fmt == "html":
        parser = _Prose()
        parser.feed(run_efl("assess", folder, "--format", "html").assert_success().output)
        sentences = parser.out
    else:
        out = tmp_path / f"{folder.name}.docx"
        run_efl("assess", folder, "-o", out).assert_success()
        sentences = [re.sub(r"^(\d+\.\d+|\(\d+\))\t", "", p.text) for p in docx.Document(str(out)).paragraphs
                     if p.style.name == "Normal" and p.text.strip()]
    return " ".join(s if s.endswith((".", "?", "!", ":")) else s + "." for s in sentences if s)


@pytest.mark.parametrize("fmt", ["html", "docx"])
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_the_prose_reads_at_flesch_60_or_above(folder, fmt, tmp_path):
    text = prose(fmt, folder, tmp_path)
    assert len(text.split()) > 150  # the paper really has prose to read
    score = flesch(text)
    assert score >= 60, f"{folder.name} {fmt}: Flesch reading ease {score:.1f}"


def test_the_readability_measure_agrees_with_hand_counts():
    # Syllables counted by hand.
    for word, n in [("council", 2), ("equality", 4), ("evidence", 3), ("published", 2), ("shares", 1),
                    ("dated", 2), ("people", 2), ("table", 2), ("recommendations", 5), ("characteristic", 5),
                    ("actual", 3), ("made", 1)]:
        assert syllables(word) == n, word
    # Two sentences of 5 and 4 one-syllable words: 206.835 - 1.015 * 4.5 - 84.6 * 1 = 117.67.
    assert round(flesch("The cat sat on mats. It was not sad."), 2) == 117.67
    hard = ("Notwithstanding the aforementioned considerations, organisational accountability "
            "necessitates comprehensive documentation of implementation methodologies.")
    assert flesch(hard) < 0


@pytest.mark.parametrize(("characteristic", "group", "words"), [
    ("disability", "yes", "disabled people"), ("disability", "No", "non-disabled people"),
    ("sex", "female", "women"), ("age", "16-24", "people aged 16 to 24"), ("age", "65+", "people aged 65 and over"),
    ("race", "white british", "White British people"), ("race", "asian or asian british", "Asian or Asian British people"),
    ("race", "other", "people of another ethnic group"), ("religion_or_belief", "other", "people of another religion or belief"),
    ("sexual_orientation", "bisexual", "bisexual people"),
    ("marriage_civil_partnership", "widowed", "people whose marriage and civil partnership is recorded as widowed"),
])
def test_people_are_named_by_their_group_in_words(characteristic, group, words):
    import efl

    assert efl.group_words(characteristic, group) == words


@pytest.mark.parametrize(("reason", "words"), [
    ("whether every equality objective has a baseline and a target: no (yes needed)",
     "It is not yet shown that every equality objective has a baseline and a target."),
    ("whether the community profile is published: yes (yes needed)", "Yes: the community profile is published."),
    ("the share of key decisions with an equality impact assessment: 87.5% (at least 90% needed)",
     "The share of key decisions with an equality impact assessment is 87.5%; at least 90% is needed."),
    ("eqia register dated within 1 year: the eqia register dated 31 October 2025",
     "Equality impact assessment register dated within 1 year: the equality impact assessment register dated "
     "31 October 2025."),
    ("no equality objectives is listed in the evidence", "No equality objectives are listed in the evidence."),
    ("equality information: none is listed as published; the first publication was due by 31 January 2012 and "
     "is overdue (SI 2011/2260 reg 2; SI 2017/353 reg 4)",
     "Equality information: none is listed as published; the first publication was due by 31 January 2012 and "
     "is overdue."),
    ("the community profile is dated 2025-01-20", "The community profile is dated 20 January 2025."),
    ("2 of 3 conditions met (all of them needed)", "2 of 3 conditions are met; all are needed."),
])
def test_rule_reasons_read_as_plain_english(reason, words):
    import efl

    assert efl.plain_reason(reason) == words


def test_each_priority_has_one_meaning_stated_once_in_the_plan(results, tmp_path):
    import efl
    from efl.core.models import Result

    result = Result.model_validate(results["bexley"])
    key = efl.priority_key(result)
    assert key == ["Priority 2: a test for Achieving.", "Priority 3: a test for Excellent."]
    for fmt in PAPERS:
        text = paper_text(fmt, EXAMPLES / "bexley", tmp_path)
        assert all(text.count(sentence) == 1 for sentence in key), fmt
        assert "most urgent" not in text.replace("most urgent first", "")  # no second meaning for priority 1


def test_the_summary_says_why_the_overall_level_is_what_it_is(results):
    """Harrow is below the first level in every area; Bexley's lowest area is at Developing while one is at
    Excellent, so "Developing in every area" would be false: the paper says "at least"."""
    harrow = run_efl("assess", EXAMPLES / "harrow", "--format", "markdown").assert_success().output
    assert "agree that the council is not yet at Developing overall" in harrow
    assert "does not yet support Developing in any area" in harrow
    bexley = results["bexley"]
    levels = [a["level"] for a in bexley["areas"]]
    assert bexley["overall_level"] == "developing" and "excellent" in levels
    text = run_efl("assess", EXAMPLES / "bexley", "--format", "markdown").assert_success().output
    assert "the evidence supports at least Developing in every area" in text
    assert "Developing is the level the evidence supports in every area" not in text
