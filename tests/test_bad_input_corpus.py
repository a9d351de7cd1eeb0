"""A corpus of bad inputs derived from the worked examples.

Each case copies an example folder, plants one mistake, and runs ``efl validate`` (or ``assess`` /
``report``). Every case must exit 2, name the file and the line (and column where there is one) of
the mistake, say what is wrong, and print no traceback.
"""

from __future__ import annotations

import os
import shutil
import stat
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
    col: bool = False              # the marker starts exactly where the message's column points
    args: tuple = ()               # more arguments ("{folder}" is replaced by the folder)
    process: bool = False          # run a real efl process (with a time limit), not in-process
    obey_permissions: bool = False  # run without root's file powers, so permissions apply (tests run as root)
    stdout_has: str | None = None  # text standard output must contain (exit 0 cases)


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
    # Day-first dates (13/01/2025) are read as councils write them; a thirteenth month is not a date.
    Case("csv-bad-date", "lc", sub("evidence/consultation-log.csv", "2025-01-13", "13/13/2025"),
         "evidence/consultation-log.csv", "13/13/2025", "date"),
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


# --- a hostile world (issue 17): special files, links, permissions, settings, CSV and YAML details -----

EQ = "evidence/eqia-register.csv"
CL = "evidence/consultation-log.csv"
EQ_ITEM = "file: evidence/eqia-register.csv"


def replace_with(rel: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    """Remove ``rel`` (file or folder) and put something else in its place."""
    def edit(folder: Path) -> None:
        path = folder / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        make(path)
    return edit


def make_socket(path: Path) -> None:
    import socket

    here = os.getcwd()
    os.chdir(path.parent)  # a socket's path is limited to about 100 bytes; bind a short relative one
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(path.name)
        sock.close()
    finally:
        os.chdir(here)


def make_device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device file needs root")
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null


def link_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def chmod(rel: str, mode: int) -> Callable[[Path], None]:
    return lambda folder: os.chmod(folder / rel, mode)


def edit_cell(rel: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    """Set one cell of a plain CSV file (1-based physical line, header on line 1)."""
    def edit(folder: Path) -> None:
        path = folder / rel
        lines = path.read_text(encoding="utf-8").split("\n")
        header = lines[0].split(",")
        cells = lines[line - 1].split(",")
        cells[header.index(column)] = value
        lines[line - 1] = ",".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8", newline="")
    return edit


BIG_LIST = "council: {name: X}\ndate: 2025-01-01\nnote: [" + ",".join(["1"] * 3_000_000) + "]\n"

HOSTILE_CASES = [
    # --- files that are not regular files --------------------------------------------------------
    Case("evidence-fifo", "lc", replace_with(EQ, os.mkfifo), A, EQ_ITEM, "is a named pipe (FIFO)", col=False,
         process=True),
    Case("evidence-fifo-assess", "lc", replace_with(EQ, os.mkfifo), A, EQ_ITEM, "is a named pipe (FIFO)",
         command="assess", process=True),
    Case("assessment-fifo", "lc", replace_with(A, os.mkfifo), A, None, "is a named pipe (FIFO)", process=True),
    Case("assessment-is-folder", "lc", replace_with(A, Path.mkdir), A, None, "is a folder"),
    Case("assessment-device", "lc", replace_with(A, make_device), A, None, "is a character device"),
    Case("evidence-device", "lc", replace_with(EQ, make_device), A, EQ_ITEM, "is a character device"),
    Case("evidence-socket", "lc", replace_with(EQ, make_socket), A, EQ_ITEM, "is a socket"),
    Case("assessment-socket", "lc", replace_with(A, make_socket), A, None, "is a socket"),
    Case("evidence-link-to-fifo-inside", "lc", both(write("evidence/pipe", b""), replace_with("evidence/pipe", os.mkfifo),
                                                   replace_with(EQ, link_to("pipe"))), A, EQ_ITEM, "named pipe"),
    Case("evidence-path-through-a-file", "lc", sub(A, EQ_ITEM, "file: evidence/eqia-register.csv/x.csv"), A,
         "file: evidence/eqia-register.csv/x.csv", "not a folder"),
    # --- links ----------------------------------------------------------------------------------
    Case("evidence-link-loop", "lc", both(replace_with(EQ, link_to("loop-b.csv")),
                                          lambda f: (f / "evidence/loop-b.csv").symlink_to("eqia-register.csv")),
         A, EQ_ITEM, "loop of symbolic links"),
    Case("evidence-link-to-itself", "lc", replace_with(EQ, link_to("eqia-register.csv")), A, EQ_ITEM,
         "loop of symbolic links"),
    Case("assessment-link-loop", "lc", replace_with(A, link_to("assessment.yaml")), A, None, "loop of symbolic links"),
    Case("assessment-link-out", "lc", replace_with(A, link_to(str(EXAMPLES / "bexley" / A))), A, None,
         "leads outside the assessment folder"),
    Case("assessment-dangling-link", "lc", replace_with(A, link_to("nowhere.yaml")), A, None, "file not found"),
    Case("evidence-dangling-link", "lc", replace_with(EQ, link_to("nowhere.csv")), A, EQ_ITEM, "was not found"),
    Case("evidence-relative-link-out", "lc", replace_with(EQ, link_to("../../outside.csv")), A, EQ_ITEM,
         "leads outside"),
    Case("evidence-link-chain-out", "lc", both(replace_with(EQ, link_to("hop.csv")),
                                               lambda f: (f / "evidence/hop.csv").symlink_to("/etc/hostname")),
         A, EQ_ITEM, "leads outside"),
    Case("evidence-folder-link-up-and-back", "lc", both(lambda f: (f / "evidence/up").symlink_to("../.."),
                                                        sub(A, EQ_ITEM, "file: evidence/up/lc/evidence/eqia-register.csv")),
         A, "file: evidence/up/lc/", "leads outside"),
    Case("evidence-folder-link-to-itself-missing-file", "lc", both(lambda f: (f / "evidence/up").symlink_to(".."),
                                                                   sub(A, EQ_ITEM, "file: evidence/up/up/x.csv")), A,
         "file: evidence/up/up/x.csv", "was not found"),
    Case("evidence-link-inside-to-folder", "lc", replace_with(EQ, link_to("..")), A, EQ_ITEM, "is a folder"),
    # --- permissions (as a user who is not root) ------------------------------------------------------
    Case("evidence-unreadable", "lc", chmod(EQ, 0), A, EQ_ITEM, "permission denied", obey_permissions=True),
    Case("assessment-unreadable", "lc", chmod(A, 0), A, None, "permission denied", obey_permissions=True),
    Case("evidence-folder-unreadable", "lc", chmod("evidence", 0), A, "file: evidence/community-profile.csv",
         "permission denied", obey_permissions=True),
    Case("assessment-folder-unreadable", "lc", lambda f: os.chmod(f, 0), "", None, "is not readable", obey_permissions=True),
    Case("assessment-folder-unreadable-assess", "lc", lambda f: os.chmod(f, 0), "", None,
         "is not readable", command="assess", obey_permissions=True),
    Case("assessment-folder-not-searchable", "lc", lambda f: os.chmod(f, 0o444), "", None,
         "cannot open the folder: permission denied", command="assess", obey_permissions=True),
    Case("result-unreadable", "lc", both(write("result.json", "{}"), chmod("result.json", 0)), "result.json", None,
         "is not readable", command="report", obey_permissions=True),
    # --- control characters in paths ----------------------------------------------------------------
    Case("path-nul-escaped", "lc", sub(A, EQ_ITEM, 'file: "evidence/\\0eqia-register.csv"'), A,
         'file: "evidence/', "control character"),
    Case("path-newline-escaped", "lc", sub(A, EQ_ITEM, 'file: "evidence/eqia\\nregister.csv"'), A,
         'file: "evidence/eqia', "control character"),
    Case("path-escape-sequence", "lc", sub(A, EQ_ITEM, 'file: "evidence/\\e[2Jx.csv"'), A,
         'file: "evidence/', "\\x1b[2Jx.csv"),
    # --- settings ------------------------------------------------------------------------------------
    Case("size-limit-inf", "lc", lambda f: None, "EFL_MAX_FILE_MB", None, "not a usable limit",
         env={"EFL_MAX_FILE_MB": "inf"}),
    Case("size-limit-negative", "lc", lambda f: None, "EFL_MAX_FILE_MB", None, "not a usable limit",
         env={"EFL_MAX_FILE_MB": "-5"}),
    Case("size-limit-zero", "lc", lambda f: None, "EFL_MAX_FILE_MB", None, "not a usable limit",
         env={"EFL_MAX_FILE_MB": "0"}),
    Case("size-limit-nan", "lc", lambda f: None, "EFL_MAX_FILE_MB", None, "not a usable limit",
         env={"EFL_MAX_FILE_MB": "nan"}),
    Case("size-limit-overflow", "lc", lambda f: None, "EFL_MAX_FILE_MB", None, "not a usable limit",
         env={"EFL_MAX_FILE_MB": "1e999"}),
    Case("size-limit-letters", "lc", lambda f: None, "EFL_MAX_FILE_MB", None, "not a number",
         env={"EFL_MAX_FILE_MB": "abc"}),
    Case("size-limit-on-report", "lc", write("result.json", "{}"), "EFL_MAX_FILE_MB", None, "not a usable limit",
         command="report", env={"EFL_MAX_FILE_MB": "-1"}),
    Case("yaml-over-20-mb", "lc", append(A, "# " + "x" * (21 * 1024 * 1024) + "\n"), A, None,
         "set EFL_MAX_FILE_MB to raise the limit"),
    Case("evidence-over-limit-names-setting", "lc", lambda f: None, EQ, None, "set EFL_MAX_FILE_MB",
         env={"EFL_MAX_FILE_MB": "0.0001"}),
    # --- CSV details: every later position stays right ------------------------------------------------
    Case("csv-nul-byte", "lc", sub(EQ, "Office move", "Office\x00move"), EQ, "\x00move", "NUL byte", col=True),
    Case("csv-form-feed-then-bad-cell", "lc", both(sub(EQ, "Grants,", "Gr\x0cants,"),
                                                   edit_cell(EQ, 5, "eqia_done", "maybe")), EQ, "maybe",
         "eqia_done: 'maybe' is not true or false", col=True),
    Case("csv-line-separator-then-bad-cell", "lc", both(sub(EQ, "Grants,", "Gr\u2028ants,"),
                                                        edit_cell(EQ, 5, "eqia_done", "maybe")), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-paragraph-separator-then-bad-cell", "lc", both(sub(EQ, "Grants,", "Gr\u2029ants,"),
                                                             edit_cell(EQ, 5, "eqia_done", "maybe")), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-next-line-char-then-bad-cell", "lc", both(sub(EQ, "Grants,", "Gr\x85ants,"),
                                                        edit_cell(EQ, 5, "eqia_done", "maybe")), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-group-separator-then-bad-cell", "lc", both(sub(EQ, "Grants,", "Gr\x1dants,"),
                                                         edit_cell(EQ, 5, "eqia_done", "maybe")), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-vertical-tab-then-bad-cell", "lc", both(sub(EQ, "Grants,", "Gr\x0bants,"),
                                                      edit_cell(EQ, 5, "eqia_done", "maybe")), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-quoted-line-break-then-bad-cell", "lc", both(sub(EQ, "Office move,", '"Office\nmove",'),
                                                           edit_cell(EQ, 6, "eqia_done", "maybe")), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-quoted-line-break-before-bad-cell-same-row", "lc",
         both(edit_cell(EQ, 5, "eqia_done", "maybe"), sub(EQ, "Office move,", '"Office\nmove",')), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-quoted-crlf-inside-cell", "lc", both(sub(EQ, "Office move,", '"Office\r\nmove",'),
                                                   edit_cell(EQ, 6, "eqia_done", "maybe")), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-quoted-cell-with-comma-then-bad", "lc", both(edit_cell(EQ, 5, "eqia_done", "maybe"),
                                                           sub(EQ, "Office move,", '"Office, move",')), EQ, "maybe",
         "is not true or false", col=True),
    Case("csv-bom-in-the-middle", "lc", append(EQ, "\ufeffdecision,service,decision_date,eqia_done,eqia_date,"
                                               "characteristics,key_decision\n"), EQ, "\ufeffdecision",
         "byte-order mark (U+FEFF) in the middle", col=True),
    Case("csv-bad-date-after-form-feed", "lc", both(sub(EQ, "Grants,", "Gr\x0cants,"),
                                                    sub(EQ, "2025-06-09", "2025-06-31")), EQ, "2025-06-31", "date",
         col=True),
    Case("csv-unknown-characteristic-after-u2028", "lc", both(sub(CL, "Freedom Pass", "Freedom\u2028Pass"),
                                                             sub(CL, "age;disability;marriage", "age;disabilty;marriage")),
         CL, "age;disabilty", "disabilty", col=True),
    Case("csv-count-after-quoted-break", "lc", both(sub(CL, "Grants scheme priorities,", '"Grants\nscheme",'),
                                                    sub(CL, ",880,", ",many,")), CL, "many", "responses", col=True),
    Case("csv-duplicate-header-after-quoted-comma", "lc",
         sub(EQ, "decision,service,", '"decision, made",service,service,'), EQ, "service,service", "appears twice"),
    Case("csv-wrong-cells-after-quoted-break", "lc", both(sub(EQ, "Office move,", '"Office\nmove",'),
                                                          append(EQ, "only,three,cells\n")), EQ, "only,three",
         "row has 3 cells"),
    # --- YAML details ------------------------------------------------------------------------------
    Case("yaml-merge-key", "lc", append(A, "base: {x: 1}\nother:\n  <<: {y: 2}\n"), A, "<<:", "merge keys (<<)",
         col=True),
    Case("yaml-merge-key-with-alias", "lc", append(A, "base: &b {x: 1}\nother:\n  <<: *b\n"), A, "<<:",
         "merge keys (<<)", col=True),
    Case("yaml-null-key", "lc", append(A, "~: something\n"), A, "~: something", "key '~' is read as null", col=True),
    Case("yaml-empty-null-key", "lc", append(A, "null: something\n"), A, "null: something",
         "key 'null' is read as null", col=True),
    Case("yaml-bool-key", "lc", append(A, "true: something\n"), A, "true: something",
         "key 'true' is read as true or false", col=True),
    Case("yaml-date-key", "lc", append(A, "2025-01-01: something\n"), A, "2025-01-01: something",
         "key '2025-01-01' is read as a date", col=True),
    Case("yaml-number-key", "lc", append(A, "1.5: something\n"), A, "1.5: something", "read as a number", col=True),
    Case("yaml-null-key-in-claims", "lc", sub(A, "claims:\n  lpoc:", "claims:\n  ~: {level: developing}\n  lpoc:"),
         A, "~: {level", "claims: key '~' is read as null", col=True),
    Case("yaml-bool-key-in-claims", "lc", sub(A, "claims:\n  lpoc:", "claims:\n  false: {level: developing}\n  lpoc:"),
         A, "false: {level", "claims: key 'false' is read as true or false", col=True),
    Case("yaml-null-value-shown-in-yaml-words", "lc", sub(A, "role: self", "role: ~"), A, "~",
         "assessor.role: 'null' is not a role", col=True),
    Case("yaml-year-2", "lc", sub(A, "date: 2025-11-14", "date: 0002-11-14"), A, "date: 0002-11-14",
         "not a plausible date"),
    Case("yaml-year-9999", "lc", sub(A, "date: 2025-10-31", "date: 9999-10-31"), A, "date: 9999-10-31",
         "not a plausible date"),
    Case("yaml-quoted-year-2", "lc", sub(A, "date: 2025-11-14", 'date: "0002-11-14"'), A, 'date: "0002-11-14"',
         "not a plausible date", col=False),
    Case("yaml-evidence-date-1985", "lc", sub(A, "date: 2023-04-01", "date: 1985-04-01"), A, "date: 1985-04-01",
         "evidence[1].date: 1985-04-01 is not a plausible date"),
    Case("yaml-period-end-2150", "lc", sub(A, "end: 2025-03-31", "end: 2150-03-31"), A, "end: 2150-03-31",
         "period.end: 2150-03-31 is not a plausible date"),
    Case("yaml-nul-in-council-name-shown", "lc", sub(A, "name: London Councils", 'name: "London\\0Councils"'), A,
         None, "", command="assess", stdout_has="London\\x00Councils"),
    Case("yaml-objectives-year-9999", "bx", append("evidence/equality-objectives.yaml", "reviewed: 9999-01-01\n"),
         "evidence/equality-objectives.yaml", "9999-01-01", "not a plausible date", col=True),
    Case("yaml-flat-list-millions", "lc", write(A, BIG_LIST), A, None, "more than 200,000 values", process=True),
    Case("yaml-nul-byte-raw", "lc", sub(A, "name: London Councils", "name: London\x00Councils"), A,
         "\x00Councils", "NUL byte", col=True),
    Case("yaml-duplicate-null-keys", "lc", append(A, "~: 1\nnull: 2\n"), A, "null: 2",
         'found duplicate key "null"', col=True),
    Case("yaml-duplicate-bool-keys", "lc", append(A, "true: 1\ntrue: 2\n"), A, "true: 2",
         'found duplicate key "true"', col=True),
    Case("yaml-date-key-in-claims", "lc", sub(A, "claims:\n  lpoc:", "claims:\n  2025-01-01: {level: developing}\n  lpoc:"),
         A, "2025-01-01: {level", "claims: key '2025-01-01' is read as a date", col=True),
    Case("yaml-merge-key-in-evidence-item", "lc", sub(A, "  - id: training-2025\n", "  - <<: {id: training-2025}\n"),
         A, "<<: {id: training", "merge keys (<<)", col=True),
    Case("yaml-impossible-year-overflow", "lc", sub(A, "date: 2025-11-14", "date: 10000-11-14"), A,
         "date: 10000-11-14", "date"),
    Case("evidence-from-fifo-assessment", "lc", both(
        lambda f: (f / "council").mkdir(), lambda f: os.mkfifo(f / "council" / A),
        write(A, "council: {name: Peer}\ndate: 2025-01-01\nevidence_from: council\n")), "council/" + A, None,
         "is a named pipe (FIFO)", process=True),
    Case("csv-quote-never-closed", "lc", append(EQ, 'Late,"Grants,2025-03-17,true,2025-02-25,race,true\n'), EQ,
         '"Grants,2025-03-17', "a quoted cell is never closed", col=True),
    Case("yaml-line-separator-then-error", "lc", both(sub(A, "name: London Councils",
                                                          'name: "London\u2028Councils\x85"'),
                                                      sub(A, "role: self", "role: judge")), A, "judge",
         "assessor.role", col=True),
    Case("yaml-line-separator-then-syntax-error", "lc", both(sub(A, "name: London Councils", 'name: "London\u2029"'),
                                                             sub(A, "covers: [age,", "covers: [age,,")), A,
         "covers: [age,,", "YAML"),
    Case("markdown-front-matter-line-separator", "lc", write("evidence/equality-objectives.md",
                                                             "---\ntitle: \"A\u2028B\"\nobjectives: [unclosed\n---\n# x\n"),
         "evidence/equality-objectives.md", None, "YAML"),
    Case("csv-training-part-above-whole-after-quoted-break", "lc",
         write("evidence/training-records.csv", 'staff_group,headcount,completed\n"All\nstaff",130,127\n'
               'Managers,"12",10\n"Front\nline",20,25\n'), "evidence/training-records.csv", "25",
         "completed: 25 is more than the headcount of 20", col=True),
    Case("csv-workforce-bad-pay-after-quoted-break", "bx",
         both(sub(WF, "E00001,F,19.10,true,0,SO2", 'E00001,F,19.10,true,0,"SO\n2"'),
              sub(WF, "E00002,M,14.10,", "E00002,M,fourteen,")), WF, "fourteen", "hourly_pay", col=True),
    Case("csv-cells-after-a-break-in-the-same-row", "lc",
         write("evidence/training-records.csv", 'staff_group,headcount,completed\n"All\nstaff",130,lots\n'),
         "evidence/training-records.csv", "lots", "completed: 'lots' is not a whole number", col=True),
    Case("plan-file-fifo", "hw", replace_with("action-plan.yaml", os.mkfifo), A, "plan: action-plan.yaml",
         "plan: 'action-plan.yaml' is a named pipe (FIFO)", col=False, process=True),
    Case("plan-file-link-out", "hw", replace_with("action-plan.yaml", link_to(str(EXAMPLES / "leicester" / "action-plan.yaml"))),
         A, "plan: action-plan.yaml", "leads outside"),
    Case("plan-file-loop", "hw", replace_with("action-plan.yaml", link_to("action-plan.yaml")), A,
         "plan: action-plan.yaml", "loop of symbolic links"),
    # --- saved results -----------------------------------------------------------------------------
    Case("result-nested-100000-deep", "lc", write("result.json", '{"schema_version": "1.1", "x": ' + "[" * 100_000
                                                  + "]" * 100_000 + "}"), "result.json", None, "nests too deeply",
         command="report", process=True),
    Case("result-fifo", "lc", replace_with("result.json", os.mkfifo), "result.json", None, "named pipe",
         command="report", process=True),
    Case("result-is-folder", "lc", replace_with("result.json", Path.mkdir), "result.json", None, "is a folder",
         command="report"),
    Case("result-dangling-link", "lc", replace_with("result.json", link_to("gone.json")), "result.json", None,
         "no such file", command="report"),
    Case("result-nul-byte", "lc", write("result.json", b'{"schema_version": "1.1",\n "a": "\x00"}'), "result.json",
         '"\x00', "NUL byte", command="report"),
    # --- writing output -------------------------------------------------------------------------------
    Case("output-onto-folder", "lc", lambda f: (f / "out.json").mkdir(), "out.json", None, "is a folder",
         command="assess", args=("-o", "{folder}/out.json")),
    Case("output-onto-dangling-link", "lc", lambda f: (f / "out.json").symlink_to("gone.json"), "out.json", None,
         "is a symbolic link", command="assess", args=("-o", "{folder}/out.json")),
    Case("output-onto-link-with-force", "lc", lambda f: (f / "out.json").symlink_to("assessment.yaml"), "out.json",
         None, "is a symbolic link", command="assess", args=("-o", "{folder}/out.json", "--force")),
    Case("output-onto-fifo", "lc", lambda f: os.mkfifo(f / "out.json"), "out.json", None, "named pipe",
         command="assess", args=("-o", "{folder}/out.json"), process=True),
    Case("output-exists", "lc", write("out.json", "old"), "out.json", None, "already exists", command="assess",
         args=("-o", "{folder}/out.json")),
    Case("output-folder-missing", "lc", lambda f: None, "no/out.json", None, "does not exist", command="assess",
         args=("-o", "{folder}/no/out.json")),
    Case("output-parent-is-a-file", "lc", write("plain", "x"), "plain/out.json", None, "is not a folder",
         command="assess", args=("-o", "{folder}/plain/out.json")),
    Case("output-read-only-folder", "lc", both(lambda f: (f / "ro").mkdir(), chmod("ro", 0o555)), "ro/out.json", None,
         "permission denied", command="assess", args=("-o", "{folder}/ro/out.json"), obey_permissions=True),
    Case("output-dir-is-a-file", "lc", write("reports", "x"), "reports", None, "is a file", command="assess",
         args=("--output-dir", "{folder}/reports", str(EXAMPLES / "bexley"))),
    Case("output-dir-read-only", "lc", both(lambda f: (f / "ro").mkdir(), chmod("ro", 0o555)), "ro/reports", None,
         "permission denied", command="assess", args=("--output-dir", "{folder}/ro/reports", str(EXAMPLES / "bexley")),
         obey_permissions=True),
    Case("output-onto-link-to-folder", "lc", lambda f: (f / "out.md").symlink_to("evidence"), "out.md", None,
         "is a symbolic link", command="assess", args=("-o", "{folder}/out.md")),
    Case("output-dir-parent-is-a-file", "lc", write("plain", "x"), "plain/reports", None, "is not a folder",
         command="assess", args=("--output-dir", "{folder}/plain/reports", str(EXAMPLES / "bexley"))),
]

CASES += HOSTILE_CASES
BASES = {"bx": "bexley", "lc": "london-councils", "hw": "harrow"}


def run_case(argv: list, case: Case):
    """Run efl as the case asks: in-process, as a real process with a time limit, or without root's file powers."""
    if case.process:
        return run_process(argv, case.env)
    if case.obey_permissions:
        return run_obeying_permissions(argv, case.env)
    return run_efl(*argv, env=case.env)


@dataclass
class Outcome:
    exit_code: int
    output: str
    stderr: str
    exception: BaseException | None = None


def run_process(argv: list, env: dict | None = None, timeout: float = 60) -> Outcome:
    """A real ``efl`` process; a hang fails the test when the time limit passes."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "efl", *map(str, argv)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)
    return Outcome(done.returncode, done.stdout, done.stderr)


# Linux capabilities that let root read, write and search past a file's permissions (capability.h).
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2
_CAPABILITY_VERSION_3 = 0x20080522
_PR_CAPBSET_DROP = 24


def drop_root_file_powers() -> None:
    """Make this (forked) process obey file permissions although it is root: drop the two capabilities.

    Staying uid 0 keeps every file of the checkout, the virtual environment and the interpreter
    readable (they belong to root), wherever they are, even in a private folder; only what a test
    made unreadable with ``chmod`` is refused, as it would be for anyone. They are dropped from the
    bounding set too, so a process the run starts cannot get them back. Raises OSError if refused.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header, data = Header(_CAPABILITY_VERSION_3, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    mask = ~((1 << CAP_DAC_OVERRIDE) | (1 << CAP_DAC_READ_SEARCH)) & 0xFFFFFFFF
    for field in ("effective", "permitted", "inheritable"):
        setattr(data[0], field, getattr(data[0], field) & mask)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def run_obeying_permissions(argv: list, env: dict | None = None) -> Outcome:
    """Run efl where file permissions apply: as root, in a forked child without root's file powers.

    A fork, not a new interpreter, so the child reports its outcome (and any exception) through a
    pipe, and leaves without running pytest's cleanup.
    """
    import json

    if os.geteuid() != 0:  # already an ordinary user: file permissions apply as they are
        out = run_efl(*argv, env=env)
        bad = out.exception is not None and not isinstance(out.exception, SystemExit)
        return Outcome(out.exit_code, out.output, out.stderr, out.exception if bad else None)
    read, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            try:
                drop_root_file_powers()
            except OSError as error:
                report = [None, "", "", f"cannot drop root's file powers: {error!r}"]
            else:
                out = run_efl(*argv, env=env)
                bad = out.exception is not None and not isinstance(out.exception, SystemExit)
                report = [out.exit_code, out.output, out.stderr, repr(out.exception) if bad else None]
            os.write(write_end, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read, "rb") as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    code, output, stderr, exception = json.loads(data)
    return Outcome(code, output, stderr, RuntimeError(exception) if exception else None)


def test_a_process_without_root_file_powers_obeys_permissions(tmp_path):
    """The check behind the permission cases: the child really is refused what ``chmod`` forbids."""
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    secret.chmod(0)
    if os.geteuid() != 0:
        with pytest.raises(PermissionError):
            secret.read_text()
        return
    read, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            drop_root_file_powers()
            try:
                secret.read_text()
                verdict = "read"
            except PermissionError:
                verdict = "refused"
            (tmp_path / "readable.txt").write_text("y")  # its own private folder stays usable
            os.write(write_end, verdict.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read, "rb") as handle:
        verdict = handle.read().decode()
    os.waitpid(pid, 0)
    assert verdict == "refused"
    assert (tmp_path / "readable.txt").read_text() == "y"
    assert secret.stat().st_mode & 0o777 == 0


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_a_clear_error(case: Case, tmp_path):
    folder = tmp_path / case.base
    shutil.copytree(EXAMPLES / BASES[case.base], folder, symlinks=True)
    case.edit(folder)
    target = folder / case.file
    args = [a.replace("{folder}", str(folder)) for a in case.args]
    argv = [case.command, target if case.command == "report" else folder, *args]
    out = run_case(argv, case)
    if case.stdout_has is not None:
        assert out.exit_code == 0, f"exit {out.exit_code}\n{out.stderr}"
        assert case.stdout_has in out.output
        return
    assert out.exit_code == 2, f"exit {out.exit_code}\n{out.stderr}"
    assert "Traceback" not in out.stderr + out.output
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    assert case.message in out.stderr, out.stderr
    if case.file == "EFL_MAX_FILE_MB":
        return
    shown = str(target)
    assert shown in out.stderr, out.stderr
    if case.marker is not None:
        text = target.read_bytes().decode("utf-8", errors="replace")
        index = text.index(case.marker)
        line = text[:index].count("\n") + 1
        assert f"{shown}:{line}:" in out.stderr, f"expected line {line}:\n{out.stderr}"
        if case.col:
            col = index - (text.rfind("\n", 0, index) + 1) + 1
            assert f"{shown}:{line}:{col}: " in out.stderr, f"expected {line}:{col}:\n{out.stderr}"


def test_corpus_size():
    assert len(CASES) >= 160


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
