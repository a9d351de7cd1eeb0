"""A corpus of bad inputs derived from the worked examples.

Each case copies an example folder, plants one mistake, and runs ``efl validate`` (or ``assess`` /
``report``). Every case must exit 2, name the file and the line (and column where there is one) of
the mistake, say what is wrong, and print no traceback.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from efl.testing import run_efl

from conftest import EXAMPLES, FrameworkFile, framework_yaml

A = "assessment.yaml"
WF = "evidence/workforce-profile.csv"


@dataclass
class Case:
    id: str
    base: str                      # "lc" (London Councils) or "bx" (Bexley)
    edit: Callable[[Path], None]
    file: str                      # file the message must name (relative to the folder)
    marker: str | None             # text on the line the message must name; None: no line for this one
    message: str                   # part of the message
    command: str = "validate"
    env: dict | None = None


def sub(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def write(rel: str, content: str | bytes) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return edit


def append(rel: str, text: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        with (folder / rel).open("a", encoding="utf-8") as handle:
            handle.write(text)
    return edit


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        for e in edits:
            e(folder)
    return edit


def symlink(rel: str, target: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / rel
        path.unlink()
        path.symlink_to(target)
    return edit


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
DEEP = "council: {name: X}\ndate: 2025-01-01\nnote: " + "[" * 100 + "]" * 100 + "\n"
ITEM = "  - id: extra\n    type: policy\n    file: evidence/equal-opportunities-policy.md\n    date: 2024-01-01\n"

CASES = [
    # --- YAML syntax ---------------------------------------------------------------------------
    Case("yaml-unclosed-flow-list", "lc", sub(A, "covers: [age,", "covers: [age,,"), A, "covers: [age,,", "YAML"),
    Case("yaml-tab-indent", "lc", sub(A, "  name: London Councils", "\tname: London Councils"), A,
         "\tname: London Councils", "a tab character where YAML needs spaces"),
    Case("yaml-bad-indent", "lc", sub(A, "  employees: 130", "     employees: 130"), A, "employees: 130", "YAML"),
    Case("yaml-unclosed-quote", "lc", sub(A, "title: London-wide population profile",
                                         'title: "London-wide population profile'), A, None, "YAML"),
    Case("yaml-duplicate-top-key", "lc", sub(A, "date: 2025-11-14", "date: 2025-11-14\ndate: 2025-11-15"), A,
         "date: 2025-11-15", "duplicate key"),
    Case("yaml-duplicate-nested-key", "lc", sub(A, "  employees: 130", "  employees: 130\n  employees: 131"), A,
         "employees: 131", "duplicate key"),
    Case("yaml-alias", "lc", both(sub(A, "council:\n", "council: &c\n"), append(A, "copy: *c\n")), A, "copy: *c",
         "aliases"),
    Case("yaml-alias-bomb", "lc", write(A, BOMB), A, "*a", "aliases"),
    Case("yaml-python-tag", "lc", sub(A, "date: 2025-11-14", "date: !!python/object/apply:os.system ['true']"), A,
         "!!python", "tag"),
    Case("yaml-custom-tag", "lc", sub(A, "name: London Councils", "name: !council London Councils"), A,
         "!council", "tag"),
    Case("yaml-two-documents", "lc", append(A, "---\nsecond: document\n"), A, None, "expected one"),
    Case("yaml-empty-file", "lc", write(A, ""), A, None, "empty"),
    Case("yaml-only-comments", "lc", write(A, "# nothing yet\n"), A, None, "empty"),
    Case("yaml-top-level-list", "lc", write(A, "- a\n- b\n"), A, "- a", "not a mapping"),
    Case("yaml-top-level-scalar", "lc", write(A, "hello\n"), A, "hello", "not a mapping"),
    Case("yaml-too-deep", "lc", write(A, DEEP), A, "note:", "nesting deeper"),
    Case("yaml-control-character", "lc", sub(A, "name: London Councils", "name: London\x07Councils"), A,
         "name: London", "U+0007 is a control character"),
    # --- encodings -----------------------------------------------------------------------------
    Case("encoding-latin1-yaml", "lc", lambda f: (f / A).write_bytes(
        (f / A).read_bytes().replace(b"name: London Councils", b"name: London Counc\xefls")), A,
         "name: London Counc", "UTF-8"),
    Case("encoding-utf16-yaml", "lc", lambda f: (f / A).write_bytes((f / A).read_text().encode("utf-16")), A, None,
         "UTF-8"),
    Case("encoding-latin1-csv", "lc", lambda f: (f / "evidence/eqia-register.csv").write_bytes(
        (f / "evidence/eqia-register.csv").read_bytes().replace(b"Transport", b"Tr\xe4nsport")),
         "evidence/eqia-register.csv", "Tr", "UTF-8"),
    # --- wrong types and impossible values -------------------------------------------------------
    Case("type-date-not-a-date", "lc", sub(A, "date: 2025-11-14", "date: last tuesday"), A, "date: last tuesday",
         "date"),
    Case("type-date-impossible", "lc", sub(A, "date: 2025-11-14", "date: 2025-02-30"), A, "date: 2025-02-30",
         "'2025-02-30' is not a real date"),
    Case("type-date-month-13", "lc", sub(A, "date: 2023-04-01", "date: 2023-13-01"), A, "date: 2023-13-01", "is not a real date"),
    Case("type-evidence-after-assessment", "lc", sub(A, "date: 2025-10-31", "date: 2026-10-31"), A,
         "date: 2026-10-31", "after the assessment date"),
    Case("type-employees-negative", "lc", sub(A, "employees: 130", "employees: -5"), A, "employees: -5",
         "expected 0 or more"),
    Case("type-employees-text", "lc", sub(A, "employees: 130", "employees: many"), A, "employees: many",
         "'many' is not a whole number"),
    Case("type-council-list", "lc", sub(A, "council:\n", "council: [London Councils]\nold_council:\n"), A,
         "council: [London", "council"),
    Case("type-evidence-mapping", "lc", sub(A, "evidence:\n", "evidence: london-profile\nold_evidence:\n"),
         A, "evidence: london-profile", "list"),
    Case("type-covers-string", "lc", sub(A, "covers: [age, disability, race, religion_or_belief, sex, "
                                            "sexual_orientation, marriage_civil_partnership]", "covers: age"), A,
         "covers: age", "list"),
    Case("type-illustrative-maybe", "lc", sub(A, "illustrative: true", "illustrative: maybe"), A,
         "illustrative: maybe", "true or false"),
    Case("type-role-unknown", "lc", sub(A, "role: self", "role: judge"), A, "role: judge", "expected self or peer"),
    Case("type-period-backwards", "lc", sub(A, "end: 2025-03-31", "end: 2023-03-31"), A, "end: 2023-03-31",
         "ends before it starts"),
    Case("type-id-with-spaces", "lc", sub(A, "id: london-profile", "id: London Profile"), A, "id: London Profile",
         "id"),
    Case("missing-evidence-id", "lc", sub(A, "  - id: london-profile\n    type:", "  - type:"), A,
         "type: community-profile", "missing required key 'id'"),
    Case("missing-council", "lc", sub(A, "council:\n  name: London Councils", "councils:\n  name: London Councils"), A,
         "councils:", "council"),
    # --- unknown keys and names, with a suggestion where one is close ------------------------------
    Case("unknown-key-far", "lc", append(A, "colour: blue\n"), A, "colour: blue", "unknown key 'colour'"),
    Case("unknown-key-close", "lc", sub(A, "evidence:\n", "evidnce:\n"), A, "evidnce:", "did you mean 'evidence'"),
    Case("unknown-nested-key", "lc", sub(A, "  name: London Councils", "  nmae: London Councils"), A, "nmae:",
         "did you mean 'name'"),
    Case("unknown-item-key", "lc", sub(A, "    file: evidence/community-profile.csv",
                                       "    fiel: evidence/community-profile.csv"), A, "fiel:", "did you mean 'file'"),
    Case("unknown-claim-area", "lc", sub(A, "claims:\n  lpoc:", "claims:\n  lpco:"), A, "lpco:", "did you mean 'lpoc'"),
    Case("unknown-claim-level", "lc", sub(A, "    level: achieving", "    level: acheiving"), A, "level: acheiving",
         "did you mean 'Achieving'"),
    Case("unknown-characteristic", "lc", sub(A, "covers: [age, disability, race,", "covers: [age, disability, rase,"),
         A, "covers: [age", "did you mean 'race'"),
    Case("unknown-evidence-type", "lc", sub(A, "type: community-profile", "type: comunity-profile"), A,
         "type: comunity-profile", "did you mean 'community-profile'"),
    Case("duplicate-evidence-id", "lc", sub(A, "  - id: equal-opportunities-policy", "  - id: london-profile"), A,
         "  - id: london-profile\n    type: policy", "used twice"),
    Case("unknown-framework", "lc", sub(A, "framework: eflg-2014", "framework: eflg-2104"), A, "framework: eflg-2104",
         "no framework called 'eflg-2104'"),
    # --- missing and empty files ----------------------------------------------------------------------
    Case("missing-evidence-file", "lc", lambda f: (f / "evidence/eqia-register.csv").unlink(), A,
         "file: evidence/eqia-register.csv", "was not found"),
    Case("evidence-file-is-folder", "lc", both(lambda f: (f / "evidence/eqia-register.csv").unlink(),
                                               lambda f: (f / "evidence/eqia-register.csv").mkdir()), A,
         "file: evidence/eqia-register.csv", "is a folder"),
    Case("empty-csv", "lc", write("evidence/eqia-register.csv", ""), "evidence/eqia-register.csv", None, "no header row"),
    Case("csv-header-only-missing-column", "lc", write("evidence/eqia-register.csv", "decision,service\n"),
         "evidence/eqia-register.csv", "decision,service", "missing"),
    Case("missing-assessment-file", "lc", lambda f: (f / A).unlink(), A, None, "file not found"),
    Case("file-needed-but-absent", "lc", sub(A, "    file: evidence/eqia-register.csv\n", ""), A,
         "id: eqia-register-2025", "needs a file"),
    # --- paths that escape the folder ----------------------------------------------------------------
    Case("path-dotdot", "lc", sub(A, "file: evidence/eqia-register.csv", "file: ../bexley/assessment.yaml"), A,
         "file: ../bexley", "outside"),
    Case("path-absolute", "lc", sub(A, "file: evidence/eqia-register.csv", "file: /etc/passwd"), A,
         "file: /etc/passwd", "is an absolute path"),
    Case("path-symlink-out", "lc", symlink("evidence/eqia-register.csv", "/etc/hostname"), A,
         "file: evidence/eqia-register.csv", "outside"),
    Case("path-symlinked-folder-out", "lc", both(lambda f: shutil.rmtree(f / "evidence"),
                                                 lambda f: (f / "evidence").symlink_to(EXAMPLES / "bexley" / "evidence")),
         A, "file: evidence/community-profile.csv", "outside"),
    # --- size limits ---------------------------------------------------------------------------------
    Case("huge-evidence-file", "lc", lambda f: None, "evidence/community-profile.csv", None, "over the limit",
         env={"EFL_MAX_FILE_MB": "0.0001"}),
    Case("bad-size-limit-setting", "lc", lambda f: None, "EFL_MAX_FILE_MB", None, "not a number",
         env={"EFL_MAX_FILE_MB": "lots"}),
    # --- CSV rows and values ---------------------------------------------------------------------------
    Case("csv-too-many-columns", "bx", sub(WF, "E00003,", "E00003,extra,"), WF, "E00003,extra", "row has 13 cells (expected 12"),
    Case("csv-too-few-columns", "bx", sub(WF, "\nE00004,", "\nE00004\nE00099,"), WF, "E00004", "row has 1 cells (expected 12"),
    Case("csv-bad-number", "bx", lambda f: _cell(f, WF, 2, "hourly_pay", "twelve"), WF, "twelve", "number"),
    Case("csv-negative-pay", "bx", lambda f: _cell(f, WF, 3, "hourly_pay", "-4.00"), WF, "-4.00", "0"),
    Case("csv-bad-boolean", "bx", lambda f: _cell(f, WF, 4, "senior", "sometimes"), WF, "sometimes", "true"),
    Case("csv-duplicate-id", "bx", lambda f: _cell(f, WF, 5, "employee_id", "E00001"), WF, None,
         ":6:1: employee_id: 'E00001' also appears on line 2"),
    Case("csv-missing-required-column", "bx", lambda f: _drop_column(f, WF, "sex"), WF, "employee_id",
         "sex"),
    Case("csv-bad-date", "lc", sub("evidence/consultation-log.csv", "2025-01-13", "13/01/2025"),
         "evidence/consultation-log.csv", "13/01/2025", "date"),
    Case("csv-impossible-date", "lc", sub("evidence/eqia-register.csv", "2025-02-10", "2025-02-31"),
         "evidence/eqia-register.csv", "2025-02-31", "date"),
    Case("csv-unknown-characteristic", "lc", sub("evidence/consultation-log.csv", "age;disability;race;sex",
                                                 "age;disabilty;race;sex"), "evidence/consultation-log.csv",
         "disabilty", "disability"),
    Case("csv-percent-over-100", "lc", sub("evidence/community-profile.csv", "age,under 16,19.6", "age,under 16,196"),
         "evidence/community-profile.csv", "196", "100"),
    # --- YAML and Markdown evidence ------------------------------------------------------------------
    Case("objectives-yaml-syntax", "bx", sub("evidence/equality-objectives.yaml", ":", ": : ["),
         "evidence/equality-objectives.yaml", None, "YAML"),
    Case("objectives-yaml-shape", "bx", write("evidence/equality-objectives.yaml", "- just\n- a list\n"),
         "evidence/equality-objectives.yaml", None, "objectives"),
    Case("markdown-front-matter-broken", "lc", write("evidence/equality-objectives.md",
                                                     "---\ntitle: [unclosed\n---\n# Objectives\n"),
         "evidence/equality-objectives.md", None, "YAML"),
    # --- a saved result --------------------------------------------------------------------------------
    Case("result-not-json", "lc", write("result.json", '{"schema_version": "1.1",\n  "areas": [,]}\n'),
         "result.json", '  "areas": [,]', "not valid JSON", command="report"),
    Case("result-wrong-shape", "lc", write("result.json", '{"schema_version": "1.1",\n "areas": "none"}\n'),
         "result.json", None, "areas", command="report"),
]


def _cell(folder: Path, rel: str, row: int, column: str, value: str) -> None:
    path = folder / rel
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def _drop_column(folder: Path, rel: str, column: str) -> None:
    path = folder / rel
    rows = [line.split(",") for line in path.read_text().splitlines()]
    i = rows[0].index(column)
    path.write_text("\n".join(",".join(r[:i] + r[i + 1:]) for r in rows) + "\n")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_a_clear_error(case: Case, tmp_path):
    folder = tmp_path / case.base
    shutil.copytree(EXAMPLES / ("bexley" if case.base == "bx" else "london-councils"), folder, symlinks=True)
    case.edit(folder)
    target = folder / case.file
    if case.command == "report":
        out = run_efl("report", target, env=case.env)
    else:
        out = run_efl(case.command, folder, env=case.env)
    assert out.exit_code == 2, f"exit {out.exit_code}\n{out.stderr}"
    assert "Traceback" not in out.stderr + out.output
    assert case.message in out.stderr, out.stderr
    if case.file == "EFL_MAX_FILE_MB":
        return
    shown = str(target)
    assert shown in out.stderr, out.stderr
    if case.marker is not None:
        text = target.read_bytes().decode("utf-8", errors="replace")
        line = text[:text.index(case.marker)].count("\n") + 1
        assert f"{shown}:{line}:" in out.stderr, f"expected line {line}:\n{out.stderr}"


def test_corpus_size():
    assert len(CASES) >= 60


def test_alias_bomb_is_refused_quickly_with_little_memory(tmp_path):
    import resource
    import time

    folder = tmp_path / "bomb"
    folder.mkdir()
    # Nine levels of nine-fold references: expanded it would be 9**9 (387 million) nodes.
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (folder / A).write_text("\n".join(levels) + "\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    out = run_efl("validate", folder)
    assert time.perf_counter() - start < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB: no expansion happened
    assert out.exit_code == 2 and "aliases" in out.stderr


def test_utf8_bom_is_accepted(tmp_path):
    folder = tmp_path / "lc"
    shutil.copytree(EXAMPLES / "london-councils", folder)
    (folder / A).write_bytes(b"\xef\xbb\xbf" + (folder / A).read_bytes())
    csv = folder / "evidence/eqia-register.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + csv.read_bytes())
    run_efl("validate", folder).assert_success()


# --- frameworks with bad references (a plugin's framework file) ---------------------------------------

FRAMEWORK_CASES = [
    ("fw-alias-cycle", "rule: &r {all: [*r]}", "rule: &r", "aliases"),
    ("fw-unknown-fact", "rule: {fact: council.employes, at_least: 1}", "council.employes",
     "did you mean 'council.employees'"),
    ("fw-unknown-evidence-type", "rule: {evidence: polcy}", "polcy", "unknown evidence type 'polcy'"),
    ("fw-unknown-rule-type", "rule: {evidense: policy}", "evidense", "did you mean 'evidence'"),
    ("fw-two-rule-types", "rule: {evidence: policy, fact: council.employees}", "rule:", "exactly one rule type"),
    ("fw-bad-operand", "rule: {fact: council.employees, at_least: lots}", "rule:", "number"),
    ("fw-empty-all", "rule: {all: []}", "rule:", "at least 1"),
    ("fw-bad-duration", "rule: {evidence: policy, max_age: 3 years}", "rule:", "duration"),
]


@pytest.mark.parametrize("case_id, rule, marker, message", FRAMEWORK_CASES, ids=[c[0] for c in FRAMEWORK_CASES])
def test_bad_framework_is_reported_before_evidence(tmp_path, case_id, rule, marker, message):
    fw = tmp_path / "fw.yaml"
    fw.write_text(framework_yaml(f"""\
        - id: c1
          title: A criterion
          level: developing
          {rule}
          action: Do it.
          owner: council
          source: test
        """))
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / A).write_text("framework: test-fw\ncouncil: {name: X}\ndate: 2025-01-01\nevidence: []\n")
    out = run_efl("validate", folder, plugins=[("fw", FrameworkFile(fw))])
    assert out.exit_code == 2 and "Traceback" not in out.stderr
    assert message in out.stderr, out.stderr
    line = fw.read_text()[:fw.read_text().index(marker)].count("\n") + 1
    assert f"{fw}:{line}:" in out.stderr, out.stderr
