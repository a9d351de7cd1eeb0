"""The HTML report of each worked example in a real headless Chromium, checked with axe-core.

Marked ``browser``: the default test run leaves it out (it needs Chromium and the npm packages in
tests/browser/); .ci/run installs both and runs it with ``pytest -m browser``. Screenshots are
saved in ``tests/browser/screenshots/`` to look at.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from efl.testing import run_efl

from conftest import EXAMPLES, ROOT

BROWSER = ROOT / "tests" / "browser"
SHOTS = BROWSER / "screenshots"
EXAMPLE_FOLDERS = sorted(p.parent for p in EXAMPLES.glob("*/assessment.yaml"))


@pytest.mark.browser
def test_axe_finds_no_violations_in_any_example_report():
    SHOTS.mkdir(exist_ok=True)
    pages = []
    for folder in EXAMPLE_FOLDERS:
        page = SHOTS / f"{folder.name}.html"
        run_efl("assess", folder, "-o", page, "--force").assert_success()
        pages.append(str(page))
    # The peer feedback report (efl compare --format html) must pass the same checks.
    feedback = SHOTS / "bexley-peer-feedback.html"
    run_efl("compare", EXAMPLES / "bexley", EXAMPLES / "bexley-peer", "--format", "html", "-o", feedback,
            "--force").assert_success()
    pages.append(str(feedback))
    # The Markdown paper as a website renders it (CommonMark with tables): the same checks and pictures.
    from test_markdown_rendered import page as markdown_page

    for folder in EXAMPLE_FOLDERS[:2]:
        rendered = SHOTS / f"{folder.name}-markdown.html"
        markdown = run_efl("assess", folder, "--format", "markdown").assert_success().output
        rendered.write_text(markdown_page(markdown, f"{folder.name} (Markdown paper)"), encoding="utf-8")
        pages.append(str(rendered))
    # The progress report on the action plan, as a page to publish.
    progress = SHOTS / "harrow-progress.html"
    run_efl("progress", EXAMPLES / "harrow", "--format", "html", "-o", progress, "--force").assert_success()
    pages.append(str(progress))
    # A what-if with a target, local tailoring and waivers: its banner, target tables and marks too.
    leics = EXAMPLES / "leicestershire"
    what_if = SHOTS / "leicestershire-what-if-target.html"
    run_efl("assess", leics, "--target", "achieving", "--assume-file", leics / "what-if.yaml", "-o", what_if,
            "--force").assert_success()
    pages.append(str(what_if))
    done = subprocess.run(["node", str(BROWSER / "axe_check.mjs"), *pages], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert set(results) == set(pages) and len(pages) >= 2
    for page, found in results.items():
        assert found["violations"] == [], f"{page}: {json.dumps(found['violations'], indent=2)}"
        assert found["passes"] > 20  # axe really ran its checks
        assert found["requests"] == []  # nothing fetched from the network
        assert (SHOTS / page.replace(".html", ".png")).stat().st_size > 10_000
        assert (SHOTS / page.replace(".html", "-320.png")).stat().st_size > 10_000
        if "feedback" in page:
            continue  # the peer feedback page is helper peer's; its own test checks its layout
        if page.endswith("-markdown.html"):
            continue  # a rendered Markdown paper's layout is the website's stylesheet, not efl's
        # At 320 px nothing scrolls sideways: wide tables scroll inside their own focusable box, and the
        # chart gives way to the table of levels (no text smaller than 12 px is left to read).
        narrow = found["narrow"]
        assert narrow["scrollWidth"] <= 320, f"{page} scrolls sideways at 320 px ({narrow['scrollWidth']} px)"
        assert narrow["tableBoxesFocusable"]
        assert narrow["smallestChartText"] is None or narrow["smallestChartText"] >= 12
        # A visible focus: a 3 px near-black outline over yellow, well over 3:1 against white.
        focus = found["focus"]
        assert focus["outline"] == "rgb(11, 12, 12)" and focus["width"] == "3px"
        assert focus["background"] == "rgb(255, 221, 0)"
