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
