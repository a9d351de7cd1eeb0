"""Every landmark on an HTML page has a name of its own (axe's landmark-unique, checked here without a
browser so it runs in the quick suite): a screen reader lists a page's regions by name, and two regions
called "Timetable" (a part and its table's scroll box) cannot be told apart."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

import efl
from efl.testing import run_efl

from conftest import EXAMPLES

FOLDERS = sorted(p.parent for p in EXAMPLES.glob("*/assessment.yaml"))
VOID = {"meta", "br", "img", "input", "hr", "link", "col", "wbr", "source", "area", "base", "param", "track"}


class Landmarks(HTMLParser):
    """Collects each named region (a named section, a role=region box, the navigation) with its accessible
    name: aria-label, or the text of the element aria-labelledby points to."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None]] = []  # (tag, id) of the elements open now
        self.text: dict[str, list[str]] = {}
        self.regions: list[tuple[str, str | None, list[str]]] = []  # (tag, aria-label, labelledby ids)

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        a = dict(attrs)
        if tag in ("section", "nav") or a.get("role") == "region":
            if a.get("aria-label") or a.get("aria-labelledby"):
                self.regions.append((tag, a.get("aria-label"), (a.get("aria-labelledby") or "").split()))
        if tag in VOID:
            return
        self.open.append((tag, a.get("id")))
        if a.get("id"):
            self.text.setdefault(a["id"], [])

    def handle_endtag(self, tag):  # noqa: ANN001
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):  # noqa: ANN001
        for _, eid in self.open:
            if eid:
                self.text[eid].append(data)

    def names(self) -> list[str]:
        out = []
        for _, label, ids in self.regions:
            name = label if label else " ".join("".join(self.text.get(i, [])) for i in ids)
            out.append(" ".join(name.split()).casefold())
        return out


def landmark_names(page: str) -> list[str]:
    parser = Landmarks()
    parser.feed(page)
    return parser.names()


def test_the_parser_finds_a_clash_when_there_is_one():
    page = ('<nav aria-label="Contents"></nav><section aria-labelledby="h"><h2 id="h">Timetable</h2>'
            '<div role="region" aria-labelledby="c" tabindex="0"><table><caption id="c">Timetable</caption>'
            "</table></div></section>")
    assert landmark_names(page) == ["contents", "timetable", "timetable"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_landmark_in_the_html_paper_has_its_own_name(folder):
    page = run_efl("assess", folder, "--format", "html").assert_exit(0).output
    names = landmark_names(page)
    assert len(names) > 10  # the parts and their tables were all found
    clashes = [n for n, k in Counter(names).items() if k > 1]
    assert clashes == [], f"{folder.name}: landmarks share a name: {clashes}"


def test_the_progress_page_landmarks_have_their_own_names():
    page = run_efl("progress", EXAMPLES / "harrow", "--format", "html").assert_exit(0).output
    names = landmark_names(page)
    assert len(names) > 3
    assert [n for n, k in Counter(names).items() if k > 1] == []


def test_a_table_captioned_like_its_part_gets_a_name_of_its_own():
    """The generic guard, not the wording of today's captions: a plugin's section headed the same as its
    table still gives two distinct regions, and the table is still read by its caption."""
    from efl.reports.paper import Part
    from efl_plugins.html_report import Tables, _part

    table = efl.ReportTable("Gender pay gap", ["Measure", "Gap"], [["Mean hourly pay", "5.0%"]])
    part = Part("pay", "Gender pay gap", ("The gaps.",), tables=(table,))
    html = _part(part, 2, Tables())
    names = landmark_names(html)
    assert names == ["gender pay gap", "table: gender pay gap"]
    assert "<caption" in html and ">Gender pay gap</caption>" in html
