"""Every paper states the figures: the six gender pay gap measures and the four quarters of pay, and
the representation table, exactly as the JSON result holds them (to one decimal place, halves up,
worked here with Decimal, independently of efl's own rounding)."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import docx
import pytest

from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY = EXAMPLES / "bexley"
MEASURES = ["mean_hourly_pct", "median_hourly_pct", "mean_bonus_pct", "median_bonus_pct", "bonus_women_pct",
            "bonus_men_pct"]


def one_place(value: float) -> str:
    shown = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{'0.0' if shown == 0 else shown}%"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):  # noqa: ANN001
        self.parts.append(data)


def paper_texts(tmp_path, folder) -> dict[str, str]:
    texts = {}
    parser = _Text()
    parser.feed(run_efl("assess", folder, "--format", "html").assert_success().output)
    texts["html"] = " ".join(parser.parts)
    texts["markdown"] = run_efl("assess", folder, "--format", "markdown").assert_success().output
    out = tmp_path / "report.docx"
    run_efl("assess", folder, "--format", "docx", "-o", out).assert_success()
    document = docx.Document(str(out))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    texts["docx"] = " ".join([p.text for p in document.paragraphs] + cells)
    return texts


def facts_of(folder) -> dict[str, object]:
    data = json.loads(run_efl("assess", folder, "--format", "json").assert_success().output)
    return {f["name"]: f["value"] for f in data["facts"]}


@pytest.fixture(scope="module")
def bexley(tmp_path_factory):
    return facts_of(BEXLEY), paper_texts(tmp_path_factory.mktemp("papers"), BEXLEY)


@pytest.mark.parametrize("fmt", ["html", "markdown", "docx"])
def test_every_paper_states_the_six_pay_gap_measures_as_the_json_holds_them(bexley, fmt):
    facts, texts = bexley
    text = " ".join(texts[fmt].split())
    for name in MEASURES:
        assert one_place(facts[f"workforce.pay_gap.{name}"]) in text, name
    for band in facts["workforce.pay_gap.quartiles"]:
        name = band["band"].capitalize() + " quarter"
        assert name in text, name
        assert one_place(band["women_pct"]) in text and one_place(band["men_pct"]) in text


def test_the_quarters_table_pairs_each_quarter_with_its_own_figures(bexley):
    facts, texts = bexley
    for band in facts["workforce.pay_gap.quartiles"]:
        row = f"| {band['band'].capitalize()} quarter | {one_place(band['women_pct'])} | {one_place(band['men_pct'])} |"
        assert row in texts["markdown"]


@pytest.mark.parametrize("fmt", ["html", "markdown", "docx"])
def test_every_paper_says_what_was_compared_with_the_community_and_what_was_not(bexley, fmt):
    facts, texts = bexley
    text = " ".join(texts[fmt].split())
    assert "How staff compare with the community" in text
    for characteristic in facts["workforce.representation_not_compared"]:
        assert characteristic.replace("_", " ").split()[0] in text.lower()
    ratios = facts["workforce.representation"]
    for groups in ratios.values():
        for ratio in groups.values():
            assert f"{Decimal(str(ratio)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}" in text


def test_a_council_without_workforce_figures_gets_no_empty_section(tmp_path):
    texts = paper_texts(tmp_path, EXAMPLES / "london-councils")
    for text in texts.values():
        assert "Gender pay gap measures" not in text and "How staff compare with the community" not in text


@pytest.mark.parametrize("fmt", ["html", "markdown", "docx"])
def test_every_paper_gives_the_shares_behind_each_ratio(bexley, fmt):
    """The representation table states each group's share of staff and of residents, not the ratio
    alone; the sex row is worked here from Bexley's own files (233 F and 162 M staff with a recorded sex;
    the Census table's 51.6% female residents)."""
    facts, texts = bexley
    text = " ".join(texts[fmt].split())
    import csv

    staff = [r["sex"] for r in csv.DictReader((BEXLEY / "evidence" / "workforce-profile.csv").open(encoding="utf-8"))]
    women, men = staff.count("F"), staff.count("M")
    assert (women, men) == (233, 162)
    assert one_place(100 * women / (women + men)) == "59.0%"
    shares = facts["workforce.representation_shares"]
    assert one_place(shares["sex"]["female"]["staff_pct"]) == "59.0%"
    assert shares["sex"]["female"]["residents_pct"] == 51.6
    for characteristic, groups in shares.items():
        for group, share in groups.items():
            ratio = facts["workforce.representation"][characteristic][group]
            assert abs(share["staff_pct"] / share["residents_pct"] - ratio) < 1e-9  # the ratio is the shares'
    assert "Share of staff" in text and "Share of residents" in text
    if fmt == "markdown":
        for characteristic, groups in shares.items():
            for group, share in groups.items():
                ratio = facts["workforce.representation"][characteristic][group]
                row = (f"| {group[:1].upper() + group[1:]} | {one_place(share['staff_pct'])} | "
                       f"{one_place(share['residents_pct'])} | "
                       f"{Decimal(str(ratio)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)} |")
                assert row in texts["markdown"], row
    else:
        assert "Female 59.0% 51.6% 1.14" in text
