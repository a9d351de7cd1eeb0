"""Reading in a hostile world: races, links, vanishing files, terminal escapes, slow inputs.

Complements the bad-input corpus with what needs more than one planted mistake: a folder swapped for
a link between the check and the read, a file deleted or rewritten while it is read, property tests
of the safe-open layer over random trees of links, and time limits run in real processes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import efl.core.assessment
import efl.files.safe_files
from efl.errors import InputError
from efl.files.evidence import load_csv
from efl.reports.report_text import markdown_escape
from efl.files.safe_files import FileProblem, SafeFolder, max_file_bytes, read_inside
from efl.files.terminal import json_safe, safe_text, visible
from efl.testing import run_efl

from conftest import EXAMPLES

LC = EXAMPLES / "london-councils"
EQ = "evidence/eqia-register.csv"


def copy_lc(tmp_path: Path) -> Path:
    folder = tmp_path / "lc"
    shutil.copytree(LC, folder)
    return folder


def efl_process(*args, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "efl", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, **kwargs)


# --- the check-then-read race ------------------------------------------------------------------------

def test_folder_swapped_for_a_link_after_the_check_is_not_read(tmp_path, monkeypatch):
    """Swap evidence/ for a link to an outside folder between the path check and the read."""
    folder = copy_lc(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    # Outside, a file with the same name whose content would be a distinctive error if it were read.
    (outside / "eqia-register.csv").write_text("SECRET,OUTSIDE\n1,2\n")
    real_check = efl.core.assessment.resolve_inside
    swapped = []

    def check_then_swap(root, relative, shown, *resolved):
        result = real_check(root, relative, shown, *resolved)  # the check passes: evidence/ is a real folder
        if relative == EQ and not swapped:
            shutil.rmtree(folder / "evidence")
            (folder / "evidence").symlink_to(outside)
            swapped.append(True)
        return result

    monkeypatch.setattr(efl.core.assessment, "resolve_inside", check_then_swap)
    out = run_efl("validate", folder)
    assert swapped and out.exit_code == 2
    assert "SECRET" not in out.stderr + out.output
    shown = folder / "assessment.yaml"
    line = (LC / "assessment.yaml").read_text().split("\n").index("    file: evidence/eqia-register.csv") + 1
    assert f"{shown}:{line}:11: 'evidence/eqia-register.csv' leads outside the assessment folder" in out.stderr


def test_file_swapped_for_a_link_between_stat_and_open_is_walked_as_a_link(tmp_path, monkeypatch):
    folder = copy_lc(tmp_path)
    (tmp_path / "secret.csv").write_text("secret\n")
    real_open = os.open
    state = {"done": False}

    def swap_then_open(path, flags, mode=0o777, *, dir_fd=None):
        if path == "eqia-register.csv" and dir_fd is not None and not state["done"]:
            state["done"] = True
            os.unlink("eqia-register.csv", dir_fd=dir_fd)
            os.symlink(str(tmp_path / "secret.csv"), "eqia-register.csv", dir_fd=dir_fd)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(efl.files.safe_files.os, "open", swap_then_open)
    with pytest.raises(FileProblem) as caught:
        read_inside(folder, EQ, 10_000)
    assert state["done"] and caught.value.kind == "outside"


def test_a_file_deleted_between_listing_and_reading_is_reported_as_vanished(tmp_path, monkeypatch):
    folder = copy_lc(tmp_path)
    real_open = os.open

    def delete_then_open(path, flags, mode=0o777, *, dir_fd=None):
        if path == "eqia-register.csv" and dir_fd is not None:
            os.unlink(path, dir_fd=dir_fd)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(efl.files.safe_files.os, "open", delete_then_open)
    out = run_efl("validate", folder)
    assert out.exit_code == 2 and isinstance(out.exception, SystemExit)
    assert "evidence file 'evidence/eqia-register.csv' disappeared while efl was reading it" in out.stderr


def test_a_file_deleted_and_recreated_while_read_gives_the_content_that_was_opened(tmp_path, monkeypatch):
    folder = copy_lc(tmp_path)
    original = (folder / EQ).read_bytes()
    real_read = os.read
    state = {"done": False}

    def recreate_then_read(fd, n):
        if not state["done"]:
            state["done"] = True
            (folder / EQ).unlink()
            (folder / EQ).write_text("completely,different\n")
        return real_read(fd, n)

    monkeypatch.setattr(efl.files.safe_files.os, "read", recreate_then_read)
    assert read_inside(folder, EQ, 10_000_000) == original
    assert state["done"]


def test_a_file_rewritten_while_read_is_refused(tmp_path, monkeypatch):
    folder = copy_lc(tmp_path)
    real_read = os.read
    state = {"done": False}

    def grow_then_read(fd, n):
        data = real_read(fd, n)
        if not state["done"]:
            state["done"] = True
            with open(folder / EQ, "a") as handle:
                handle.write("Late row,Grants,2025-03-17,true,2025-02-25,race,true\n")
        return data

    monkeypatch.setattr(efl.files.safe_files.os, "read", grow_then_read)
    with pytest.raises(FileProblem) as caught:
        read_inside(folder, EQ, 10_000_000)
    assert caught.value.kind == "changed" and "changed while efl was reading it" in caught.value.message


def test_size_is_checked_while_reading_not_only_before(tmp_path, monkeypatch):
    (tmp_path / "f.csv").write_bytes(b"x" * 100)
    real_fstat = os.fstat

    class Small:  # a file that claims to be small when first asked (it grows while read)
        def __init__(self, real):
            self._real = real

        def __getattr__(self, name):
            return 10 if name == "st_size" else getattr(self._real, name)

    calls = {"n": 0}

    def lying_fstat(fd):
        calls["n"] += 1
        return Small(real_fstat(fd)) if calls["n"] == 2 else real_fstat(fd)  # the first is the check

    monkeypatch.setattr(efl.files.safe_files.os, "fstat", lying_fstat)
    with pytest.raises(FileProblem) as caught:
        read_inside(tmp_path, "f.csv", 50)
    assert caught.value.kind == "too-big"


# --- links inside the folder ----------------------------------------------------------------------------

def test_links_that_stay_inside_are_followed(tmp_path):
    folder = copy_lc(tmp_path)
    (folder / "archive").mkdir()
    shutil.move(folder / EQ, folder / "archive" / "eqia.csv")
    (folder / EQ).symlink_to("../archive/eqia.csv")  # relative, through ..
    (folder / "evidence" / "consultation-log.csv").rename(folder / "archive" / "log.csv")
    (folder / "evidence" / "consultation-log.csv").symlink_to(folder / "archive" / "log.csv")  # absolute, inside
    (folder / "here").symlink_to(".")
    out = run_efl("validate", folder)
    assert out.exit_code == 0, out.stderr
    assert read_inside(folder, "here/here/evidence/eqia-register.csv", 10**6) == (folder / "archive/eqia.csv").read_bytes()


def test_an_absolute_link_that_spells_the_folder_through_a_linked_path_is_inside(tmp_path):
    real = copy_lc(tmp_path)
    alias = tmp_path / "alias"
    alias.symlink_to(real)
    (real / "evidence" / "via-alias.csv").symlink_to(alias / EQ)
    assert read_inside(alias, "evidence/via-alias.csv", 10**6) == (real / EQ).read_bytes()
    # Given by its real path, the folder does not know the alias: an absolute link must spell the
    # folder as it was given or as it resolves, and this one spells neither.
    with pytest.raises(FileProblem) as caught:
        read_inside(real, "evidence/via-alias.csv", 10**6)
    assert caught.value.kind == "outside"


# --- property test: random trees of files and links -------------------------------------------------------

NAMES = ["a", "b", "c", "..", "."]
LINK_TARGETS = ["a", "b", "../a", "../../x", "sub/a", "../sub", ".", "..", "/etc", "ROOT/a", "ROOT/sub/b",
                "OUT/secret", "sub", "loop", "sub/../a"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(links=st.dictionaries(st.sampled_from(["sub/l1", "l2", "sub/l3", "loop", "sub/deep/l4"]),
                             st.sampled_from(LINK_TARGETS), max_size=5),
       path=st.lists(st.sampled_from(NAMES + ["l2", "l1", "l3", "loop", "sub", "deep", "l4"]), min_size=1, max_size=5))
def test_safe_open_never_reads_outside_and_agrees_with_the_kernel_inside(tmp_path_factory, links, path):
    base = tmp_path_factory.mktemp("tree")
    root, out = base / "root", base / "out"
    for d in (root / "sub" / "deep", out):
        d.mkdir(parents=True)
    files = {root / "a": b"root a", root / "sub" / "a": b"sub a", root / "sub" / "b": b"sub b",
             out / "secret": b"OUTSIDE", base / "x": b"OUTSIDE x"}
    for file, data in files.items():
        file.write_bytes(data)
    for name, target in links.items():
        target = target.replace("ROOT", str(root)).replace("OUT", str(out))
        (root / name).symlink_to(target)
    relative = "/".join(path)
    kernel = kernel_open(root / relative)  # what the kernel, following every link, reaches
    try:
        data = read_inside(root, relative, 10_000)
    except FileProblem as problem:
        assert problem.kind in {"outside", "missing", "folder", "loop", "not-folder"}, problem.message
        if problem.kind != "outside" and kernel is not None and kernel[1] is not None:
            pytest.fail(f"{relative}: {problem.message}, but the kernel reads {kernel[0]}")
        return
    assert b"OUTSIDE" not in data
    assert kernel is not None and kernel[0].startswith(str(root) + os.sep) and kernel[1] == data


def kernel_open(path: Path) -> tuple[str, bytes | None] | None:
    """(the real path the kernel opens, its bytes if a regular file), or None if it cannot open it."""
    import stat as st_

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
        if not st_.S_ISREG(os.fstat(fd).st_mode):
            return real, None
        return real, os.read(fd, 100_000)
    finally:
        os.close(fd)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_relative_path_text_is_refused_cleanly_or_read(text):
    folder = LC
    try:
        read_inside(folder, text, 10**6)
    except FileProblem as problem:
        assert problem.message and problem.kind


# --- settings ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [("inf", "not a usable limit"), ("-5", "not a usable limit"),
                                          ("abc", "not a number"), ("0", "not a usable limit"),
                                          ("nan", "not a usable limit"), ("-inf", "not a usable limit")])
def test_bad_size_limit_settings_are_refused(monkeypatch, value, words):
    monkeypatch.setenv("EFL_MAX_FILE_MB", value)
    with pytest.raises(InputError) as caught:
        max_file_bytes()
    assert words in str(caught.value) and "EFL_MAX_FILE_MB" in str(caught.value)


def test_size_limit_setting_in_megabytes(monkeypatch):
    monkeypatch.setenv("EFL_MAX_FILE_MB", "1.5")
    assert max_file_bytes() == 1_572_864
    monkeypatch.setenv("EFL_MAX_FILE_MB", " ")
    assert max_file_bytes(123) == 123


def test_bad_size_limit_in_a_real_process_is_exit_2(tmp_path):
    done = efl_process("validate", LC, env={**os.environ, "EFL_MAX_FILE_MB": "inf"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "EFL_MAX_FILE_MB='inf' is not a usable limit" in done.stderr


# --- CSV: linear time, and positions that follow csv -----------------------------------------------------------

def test_header_of_60000_repeated_names_is_checked_in_linear_time(tmp_path):
    folder = copy_lc(tmp_path)
    (folder / EQ).write_text(",".join(["decision"] * 60_000) + "\nx\n")
    done = efl_process("validate", folder, timeout=30)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    first = f"{folder / EQ}:1:10: column 'decision' appears twice (expected each column once)"
    assert first in done.stderr
    assert f"{folder / EQ}:1:{9 * 59_999 + 1}: column 'decision' appears twice" in done.stderr


def test_a_row_with_many_bad_cells_is_linear_too(tmp_path):
    line = ",".join(["x"] * 50_000)
    table = load_csv(("h," * 49_999 + "h\n" + line + "\n").encode(), "t.csv")
    assert table.position(0, 49_999) == (2, 2 * 49_999 + 1)


CONTROL_BREAKS = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.lists(st.text(alphabet="ab ,\"\n\r" + "".join(CONTROL_BREAKS), max_size=6), min_size=3,
                              max_size=3), min_size=1, max_size=6))
def test_csv_positions_match_an_independent_count(rows):
    """Write rows with csv.writer (quotes, line breaks, odd separators), then check every cell's position
    against a count made here from the text the writer produced."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["p", "q", "r"])
    starts = []  # (line, col) of each cell, counted while writing cell by cell
    for row in rows:
        if not any(cell.strip() for cell in row):
            row = ["z", *row[1:]]
        positions = []
        text = buffer.getvalue()
        for i, cell in enumerate(row):
            line = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
            start = max(text.rfind("\n"), text.rfind("\r")) + 1
            positions.append((line, len(text) - start + 1))
            part = io.StringIO()
            # Every cell quoted: csv.writer quotes \r only when it is in the line terminator.
            csv.writer(part, lineterminator="", quoting=csv.QUOTE_ALL).writerow([cell])
            text += part.getvalue() + ("," if i < len(row) - 1 else "\n")
        buffer = io.StringIO(text)
        buffer.seek(0, 2)
        starts.append(positions)
    table = load_csv(buffer.getvalue().encode(), "t.csv")
    assert len(table.rows) == len(rows)
    for r, positions in enumerate(starts):
        for c, expected in enumerate(positions):
            assert table.position(r, c) == expected, (buffer.getvalue(), r, c)


def test_a_quote_never_closed_is_refused_where_it_opens():
    """csv would quietly swallow the rest of the file into one cell."""
    with pytest.raises(InputError) as caught:
        load_csv(b'a,b\n1,2\n3,"open\n4,5\n6,7\n', "t.csv")
    assert str(caught.value) == "t.csv:3:3: a quoted cell is never closed (expected a closing \" before the end of the file)"


# --- terminal: folder text is shown, never obeyed ---------------------------------------------------------

ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e\x9b31m"


def test_visible_shows_every_control_character():
    shown = visible("A" + ESCAPES + "\nB\t\x7f\u2066")
    assert shown == "A\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\u202e\\x9b31m\\x0aB\\x09\\x7f\\u2066"
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown)
    assert safe_text("a\r\nb\rc\td") == "a\r\nb\\x0dc\td"


def test_json_safe_keeps_the_exact_data():
    text = json.dumps({"name": "A" + ESCAPES + "\x85\u2028"}, ensure_ascii=False)
    safe = json_safe(text)
    assert json.loads(safe) == json.loads(text)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u202e]", safe)


def hostile_council(tmp_path: Path) -> Path:
    folder = copy_lc(tmp_path)
    text = (folder / "assessment.yaml").read_text()
    (folder / "assessment.yaml").write_text(text.replace(
        "name: London Councils", 'name: "London\\e]52;c;ZXZpbA==\\a\\e[2J\\u202eCouncils\\x9b"', 1))
    csv = folder / "evidence" / "community-profile.csv"
    csv.write_text(csv.read_text().replace("under 16", "under\x1b[31m16", 1))
    return folder


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv"])
def test_reports_show_escape_sequences_from_the_folder(tmp_path, fmt):
    folder = hostile_council(tmp_path)
    done = efl_process("assess", folder, "--format", fmt, "--explain")
    assert done.returncode == 0, done.stderr
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", done.stdout + done.stderr)
    if fmt != "csv":  # the action plan does not name the council
        assert re.search(r"London\\x1b\\?]52", done.stdout)


def test_json_report_keeps_the_council_name_exactly(tmp_path):
    folder = hostile_council(tmp_path)
    done = efl_process("assess", folder, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", done.stdout)
    assert json.loads(done.stdout)["assessment"]["council"] == "London\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202eCouncils\x9b"


def test_a_csv_cell_quoted_in_an_error_is_shown_not_obeyed(tmp_path):
    folder = copy_lc(tmp_path)
    eq = folder / EQ
    eq.write_text(eq.read_text().replace("2025-02-10", "\x1b]0;pwned\x07", 1))
    done = efl_process("validate", folder)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "'\\x1b]0;pwned\\x07' is not a valid date" in done.stderr
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr


def test_a_file_name_with_escapes_in_an_error_is_shown(tmp_path):
    folder = copy_lc(tmp_path)
    yaml = folder / "assessment.yaml"
    yaml.write_text(yaml.read_text().replace("file: evidence/eqia-register.csv", 'file: "evidence/\\u202eVSC.exe"'))
    done = efl_process("validate", folder)
    assert done.returncode == 2 and "\u202e" not in done.stderr
    assert "evidence/\\u202eVSC.exe" in done.stderr


def test_folder_names_in_the_many_folder_summary_are_shown(tmp_path):
    region = tmp_path / "region"
    region.mkdir()
    shutil.copytree(LC, region / "lc\x1b[2J")
    shutil.copytree(EXAMPLES / "bexley", region / "bexley")
    done = efl_process("assess", region, "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert "lc\\x1b[2J" in done.stdout and "\x1b" not in done.stdout


# --- linear-time renderers -------------------------------------------------------------------------------

def old_join(text: str) -> str:
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\r\n\x0b\x0c\x1c\x85\u2028ab", max_size=40))
def test_markdown_line_joining_matches_the_old_rule(text):
    escaped = markdown_escape(text)
    expected = old_join(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    assert escaped == expected


@pytest.mark.parametrize("fmt", ["markdown", "html", "table"])
def test_names_with_200000_spaces_do_not_hang_the_renderers(tmp_path, fmt):
    folder = copy_lc(tmp_path)
    yaml = folder / "assessment.yaml"
    spaces = " " * 200_000
    yaml.write_text(yaml.read_text().replace("name: London Councils", f'name: "London{spaces}Councils"', 1))
    csv = folder / "evidence" / "community-profile.csv"
    # A cell is at most 131,072 characters (csv's limit, reported as an error), so 100,000 here.
    csv.write_text(csv.read_text().replace("under 16", f"under{' ' * 100_000}16", 1))
    done = efl_process("assess", folder, "--format", fmt, "--explain", timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "London" in done.stdout


def test_compare_markdown_with_200000_spaces_does_not_hang(tmp_path):
    folder = copy_lc(tmp_path)
    yaml = folder / "assessment.yaml"
    yaml.write_text(yaml.read_text().replace("name: London Councils", f'name: "London{" " * 200_000}Councils"', 1))
    done = efl_process("compare", folder, LC, "--format", "markdown", "--different-councils", timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


# --- YAML: a huge flat list is refused quickly and with little memory ------------------------------------------

def test_flat_list_of_ten_million_scalars_is_refused_within_limits(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "assessment.yaml").write_text("council: {name: X}\ndate: 2025-01-01\nnote: ["
                                            + ",".join(["1"] * 10_000_000) + "]\n")
    code = ("import resource, sys, runpy\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))\n"
            "sys.argv = ['efl', 'validate', sys.argv[1]]\n"
            "runpy.run_module('efl', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "EFL_MAX_FILE_MB": "50"})
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"{folder / 'assessment.yaml'}:3:" in done.stderr and "more than 200,000 values" in done.stderr


def test_a_yaml_file_over_the_limit_names_the_real_setting(tmp_path):
    folder = copy_lc(tmp_path)
    with open(folder / "assessment.yaml", "a") as handle:
        handle.write("#" + "x" * (20 * 1024 * 1024) + "\n")
    out = run_efl("validate", folder)
    assert out.exit_code == 2 and "EFL_MAX_FILE_MB" in out.stderr and "--max-file-size" not in out.stderr
    ok = run_efl("validate", folder, env={"EFL_MAX_FILE_MB": "25"})
    assert ok.exit_code == 0, ok.stderr


def test_safe_folder_kind_of():
    with SafeFolder(LC) as opened:
        assert opened.kind_of("assessment.yaml") is None
        assert opened.kind_of("evidence") == "folder"
        assert opened.kind_of("../bexley/assessment.yaml") == "outside"
        assert opened.kind_of("nothing") == "missing"


def test_reading_stops_at_the_time_limit(tmp_path, monkeypatch):
    """A share that hangs between reads: the read ends with a message instead of waiting forever."""
    (tmp_path / "f.csv").write_bytes(b"x" * (3 << 20))  # several chunks
    clock = iter(range(0, 10_000, 100))  # each look at the clock is 100 s later
    monkeypatch.setattr(efl.files.safe_files.time, "monotonic", lambda: next(clock))
    with pytest.raises(FileProblem) as caught:
        read_inside(tmp_path, "f.csv", 10 << 20)
    assert caught.value.kind == "slow" and "took longer than 120 seconds" in caught.value.message


def test_reports_written_to_output_dir_show_escapes_too(tmp_path):
    folder = hostile_council(tmp_path)
    reports = tmp_path / "reports"
    done = efl_process("assess", folder, LC, "--jobs", "1", "--format", "markdown", "--output-dir", reports)
    assert done.returncode == 0, done.stderr
    text = (reports / "lc.md").read_text()
    assert "London\\x1b" in text and "\x1b" not in text and "\u202e" not in text


def test_pack_reads_through_the_safe_layer(tmp_path, monkeypatch):
    """A file listed for the pack and then swapped for a pipe is named, not waited on."""
    import efl.peer.pack

    folder = copy_lc(tmp_path)
    (folder / "notes.txt").write_text("a note\n")
    listed = efl.peer.pack._folder_files

    def list_then_swap(root):
        paths = listed(root)
        (folder / "notes.txt").unlink()
        os.mkfifo(folder / "notes.txt")
        return paths

    monkeypatch.setattr(efl.peer.pack, "_folder_files", list_then_swap)
    out = run_efl("pack", folder, "-o", tmp_path / "p.zip")
    assert out.exit_code == 2 and isinstance(out.exception, SystemExit)
    assert f"{folder / 'notes.txt'}: the file is a named pipe (FIFO)" in out.stderr
    assert not (tmp_path / "p.zip").exists()
