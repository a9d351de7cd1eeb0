"""The council's plan in a hostile world: read once, never a colleague's save lost, spreadsheets as
people make them, and office files that never fail on text.

Each test builds a class of situation (a file swapped between two steps, a save in the last moment, a
workbook as LibreOffice writes it, text pasted from another program) rather than one planted value.
"""

from __future__ import annotations

import builtins
import io
import os
import shutil
import stat
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import efl.files.output
import efl.files.safe_files
import efl.plan.action_plan
from efl.errors import InputError
from efl.files.archives import MAX_MEMBERS
from efl.files.xml_text import xml_safe
from efl.plan.action_plan import Plan, PlanLine, PlanNote, format_notes, parse_notes, read_csv_text, read_plan, to_csv
from efl.testing import run_efl

from conftest import EXAMPLES

HARROW = EXAMPLES / "harrow"
openpyxl = pytest.importorskip("openpyxl")


def harrow(tmp_path: Path) -> Path:
    folder = tmp_path / "harrow"
    shutil.copytree(HARROW, folder)
    return folder


def temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- every file of the folder is read once, by descriptor --------------------------------------------

class OpenLog:
    """Every open of a file inside ``folder`` during a run: how (by descriptor or by name) and how often."""

    def __init__(self, folder: Path, monkeypatch):
        self.folder = str(folder.resolve()) + os.sep
        self.by_descriptor: dict[str, int] = {}
        self.by_name: list[str] = []
        real_os_open, real_open = os.open, builtins.open

        def os_open(path, flags, mode=0o777, *, dir_fd=None):
            fd = real_os_open(path, flags, mode, dir_fd=dir_fd)
            self._seen(fd, dir_fd is not None and not os.path.isabs(os.fsdecode(path)), flags)
            return fd

        def py_open(file, *args, **kwargs):
            handle = real_open(file, *args, **kwargs)
            if not isinstance(file, int):
                self._seen(handle.fileno(), False, 0)
            return handle

        monkeypatch.setattr(os, "open", os_open)
        monkeypatch.setattr(builtins, "open", py_open)
        monkeypatch.setattr(io, "open", py_open)

    def _seen(self, fd: int, relative: bool, flags: int) -> None:
        real = os.readlink(f"/proc/self/fd/{fd}")
        if not real.startswith(self.folder) or not stat.S_ISREG(os.fstat(fd).st_mode):
            return
        if flags & (os.O_WRONLY | os.O_RDWR):
            return  # efl's own output (a plan written into the folder)
        if relative and flags & os.O_NOFOLLOW:
            self.by_descriptor[real] = self.by_descriptor.get(real, 0) + 1
        else:
            self.by_name.append(real)


@pytest.mark.parametrize("command", [["validate"], ["assess", "--plan", "{out}.yaml"], ["assess", "--plan", "{out}.csv"],
                                     ["progress", "--calendar"], ["assess", "--format", "json"]])
def test_every_folder_file_is_read_once_through_the_safe_layer(tmp_path, monkeypatch, command):
    folder = harrow(tmp_path)
    args = [a.replace("{out}", str(tmp_path / "new")) for a in command]
    log = OpenLog(folder, monkeypatch)
    out = run_efl(args[0], folder, *args[1:])
    assert out.exit_code == 0, out.stderr
    assert log.by_name == []
    assert log.by_descriptor and max(log.by_descriptor.values()) == 1, log.by_descriptor
    assert str((folder / "assessment.yaml").resolve()) in log.by_descriptor
    if "--plan" in args or args[0] in ("validate", "progress"):
        assert str((folder / "action-plan.yaml").resolve()) in log.by_descriptor


@pytest.mark.parametrize("ending", [".yaml", ".csv"])
def test_a_plan_swapped_for_a_link_outside_after_it_was_read_is_not_merged(tmp_path, monkeypatch, ending):
    folder = harrow(tmp_path)
    outside = tmp_path / "secret.yaml"
    outside.write_text("objectives: []\nlines:\n  - {id: secret, action: SECRET OUTSIDE TEXT}\n")
    real = efl.files.safe_files.SafeFolder.read_fingerprinted

    def read_then_swap(self, relative, limit):
        got = real(self, relative, limit)
        if relative == "action-plan.yaml":
            (folder / relative).unlink()
            (folder / relative).symlink_to(outside)
        return got

    monkeypatch.setattr(efl.files.safe_files.SafeFolder, "read_fingerprinted", read_then_swap)
    target = tmp_path / f"new{ending}"
    out = run_efl("assess", folder, "--plan", target)
    assert out.exit_code == 0, out.stderr
    written = target.read_text(encoding="utf-8-sig")
    assert "SECRET" not in written and "wf-training" in written


# --- a colleague's save is never lost ---------------------------------------------------------------------

COLLEAGUE = "# a line a colleague added while efl was running\n"


def colleague_appends(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(COLLEAGUE)


def colleague_saves_by_rename(path: Path) -> None:
    # What an editor does: write a new file beside it, then rename it over the old one.
    new = path.with_name(path.name + ".saving")
    new.write_text(path.read_text(encoding="utf-8") + COLLEAGUE, encoding="utf-8")
    os.replace(new, path)


def colleague_touches(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("save", [colleague_appends, colleague_saves_by_rename, colleague_touches])
@pytest.mark.parametrize("moment", ["after-read", "at-the-swap", "no-exchange"])
def test_a_save_between_the_read_and_the_replace_is_kept(tmp_path, monkeypatch, save, moment):
    folder = harrow(tmp_path)
    plan = folder / "action-plan.yaml"
    if moment == "after-read":
        real = efl.plan.action_plan.render_plan

        def render_then_save(*args, **kwargs):
            text = real(*args, **kwargs)
            save(plan)
            return text

        monkeypatch.setattr(efl.plan.action_plan, "render_plan", render_then_save)
    else:
        real_exchange = efl.files.output._exchange
        state = {"saved": False}

        def save_then_exchange(a, b):
            if not state["saved"]:
                state["saved"] = True
                save(plan)  # the very last moment: between efl's checks and the swap itself
            return real_exchange(a, b) if moment == "at-the-swap" else False

        monkeypatch.setattr(efl.files.output, "_exchange", save_then_exchange)
        if moment == "no-exchange":  # a file system without renameat2: checked right before the rename
            real_matches = efl.files.output.matches
            calls = {"n": 0}

            def save_before_last_check(name, fingerprint):
                calls["n"] += 1
                if calls["n"] == 2 and not state["saved"]:
                    state["saved"] = True
                    save(plan)
                return real_matches(name, fingerprint)

            monkeypatch.setattr(efl.files.output, "matches", save_before_last_check)
    before = plan.read_text(encoding="utf-8")
    out = run_efl("assess", folder, "--plan", plan, "--force")
    assert out.exit_code == 2, out.stderr
    assert f"{plan}: the file changed since efl read it" in out.stderr
    assert "their changes are kept" in out.stderr
    after = plan.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")) and "wf-training" in after
    if save is not colleague_touches:
        assert after.endswith(COLLEAGUE)
    assert temporaries(folder) == []


def test_an_unchanged_plan_is_replaced_in_place_keeping_its_mode(tmp_path):
    folder = harrow(tmp_path)
    plan = folder / "action-plan.yaml"
    plan.chmod(0o640)
    before = plan.read_text(encoding="utf-8")
    out = run_efl("assess", folder, "--plan", plan, "--force")
    assert out.exit_code == 0, out.stderr
    after = plan.read_text(encoding="utf-8")
    assert after.startswith(before[:200]) and len(after) > len(before)  # the council's lines, then efl's
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640 and temporaries(folder) == []
    again = run_efl("assess", folder, "--plan", plan, "--force")  # nothing new to add the second time
    assert again.exit_code == 0 and "0 new lines" in again.stderr


def test_a_plan_deleted_after_it_was_read_is_not_recreated_over_a_colleague(tmp_path, monkeypatch):
    folder = harrow(tmp_path)
    plan = folder / "action-plan.yaml"
    real = efl.plan.action_plan.render_plan

    def render_then_delete(*args, **kwargs):
        text = real(*args, **kwargs)
        plan.unlink()
        return text

    monkeypatch.setattr(efl.plan.action_plan, "render_plan", render_then_delete)
    out = run_efl("assess", folder, "--plan", plan, "--force")
    assert out.exit_code == 2 and "changed since efl read it" in out.stderr
    assert not plan.exists() and temporaries(folder) == []


# --- notes, line breaks and control characters survive every format -------------------------------------

NOTE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    min_size=1, max_size=40)
NOTE_LINES = st.lists(st.one_of(NOTE_TEXT.map(lambda t: t.replace("\n", " ")),
                                st.dates(min_value=__import__("datetime").date(1990, 1, 1)).map(
                                    lambda d: f"{d.isoformat()}: follow-up")), min_size=1, max_size=4)


def canonical_note(text: str) -> str:
    return text.strip(" \t\r\n")


@settings(max_examples=200, deadline=None)
@given(st.lists(NOTE_LINES, min_size=1, max_size=3))
def test_notes_of_several_lines_round_trip_through_one_cell(notes):
    import datetime as dt

    made = []
    for i, lines in enumerate(notes):
        text = canonical_note("\n".join(lines))
        if text:
            made.append(PlanNote(date=dt.date(2026, 1, 1 + i), text=text))
    assert parse_notes(format_notes(made)) == made


PLAN_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    min_size=1, max_size=30).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(action=PLAN_TEXT, lead=PLAN_TEXT, baseline=PLAN_TEXT)
def test_any_text_round_trips_through_a_csv_plan(action, lead, baseline):
    line = PlanLine(id="a-1", action=action, lead=lead, baseline=baseline,
                    notes=[PlanNote(date="2026-01-15", text="Survey\r sent\x0b out\n2026-02-01: reply due")])
    plan = Plan(lines=[line])
    back = read_csv_text(to_csv(plan)[1:], "plan.csv")
    nfc = lambda t: unicodedata.normalize("NFC", t)  # noqa: E731 - one Unicode form, as every reader gives
    assert [(l.action, l.lead, l.baseline, l.notes) for l in back.lines] == \
        [(nfc(action), nfc(lead), nfc(baseline), line.notes)]


def test_a_carriage_return_in_a_csv_plan_comes_back_as_itself(tmp_path):
    folder = harrow(tmp_path)
    plan = folder / "action-plan.yaml"
    plan.write_text(plan.read_text().replace("text: Three of four directorates report completion on their scorecards.",
                                             'text: "Three of four\\r directorates\\x0b report"', 1))
    out = run_efl("assess", folder, "--plan", tmp_path / "p.csv")
    assert out.exit_code == 0, out.stderr
    raw = (tmp_path / "p.csv").read_bytes()
    assert b"four\r directorates\x0b report" in raw and b"\\x0d" not in raw
    assert read_plan(tmp_path / "p.csv").lines[0].notes[0].text == "Three of four\r directorates\x0b report"


# --- workbooks as people make them ----------------------------------------------------------------------

def workbook(tmp_path: Path, name: str = "plan.xlsx") -> Path:
    """A plan written by efl, for tests to edit as a lead officer would."""
    folder = harrow(tmp_path)
    out = run_efl("assess", folder, "--plan", tmp_path / name)
    assert out.exit_code == 0, out.stderr
    return tmp_path / name


def test_a_hidden_copy_in_front_is_not_read_and_two_visible_copies_are_refused(tmp_path):
    path = workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Action plan"]
    old = book.copy_worksheet(sheet)
    old.title = "Last quarter"
    headers = [c.value for c in sheet[1]]
    old.cell(2, headers.index("Action") + 1).value = "LAST QUARTER'S WORDING"
    book.move_sheet(old, offset=-book.index(old))  # first in the book
    old.sheet_state = "hidden"
    book.active = 1
    book.save(path)
    plan = read_plan(path)
    assert all("LAST QUARTER" not in line.action for line in plan.lines)
    old.sheet_state = "visible"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert "2 visible sheets with efl's plan columns" in str(caught.value)
    assert "'Last quarter' and 'Action plan'" in str(caught.value)
    sheet.sheet_state = "hidden"
    old.sheet_state = "hidden"
    book.create_sheet("Notes")
    book.active = book.index(book["Notes"])
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert "is hidden (expected it visible" in str(caught.value)


def test_cells_merged_over_rows_give_every_row_their_value(tmp_path):
    path = tmp_path / "hand.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Objective", "Lead", "Action", "Id", "Status", "Progress notes"])
    sheet.append(["1. Know our communities", "Head of Policy", "Refresh the profile", "a1", "On Track",
                  "2026-01-15: Survey sent out\n2026-02-01 is the closing date"])
    sheet.append([None, "Head of HR", "Publish workforce data", "a2", "AT_RISK", None])
    sheet.append(["A workforce that reflects the borough", "Head of HR", "Positive action", "a3", "not-started", None])
    sheet.append([None, None, "Mentoring", "a4", "done", None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("B4:B5")
    book.save(path)
    plan = read_plan(path)
    assert [(line.id, line.objective, line.lead, line.status) for line in plan.lines] == [
        ("a1", "1", "Head of Policy", "on track"), ("a2", "1", "Head of HR", "at risk"),
        ("a3", "a-workforce-that-reflects-the-borough", "Head of HR", "not started"),
        ("a4", "a-workforce-that-reflects-the-borough", "Head of HR", "done")]
    assert len(plan.objectives) == 2
    assert [n.text for n in plan.lines[0].notes] == ["Survey sent out\n2026-02-01 is the closing date"]


@pytest.mark.parametrize("value, number_format, shown", [
    (1.1, "0.00", "1.10"), (0.64, "0%", "64%"), (0.645, "0.0%", "64.5%"), (1234.5, "#,##0.00", "1,234.50"),
    (1200, '"£"#,##0', "£1,200"), (1200, "[$£-809]#,##0.00", "£1,200.00"), (7, "General", "7"), (2.5, "General", "2.5"),
    (-3, "0.0", "-3.0")])
def test_numbers_in_text_columns_are_read_as_the_cell_shows_them(tmp_path, value, number_format, shown):
    path = tmp_path / "n.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Id", "Action", "Baseline"])
    sheet.append(["a1", "Act", value])
    sheet.cell(2, 3).number_format = number_format
    book.save(path)
    assert read_plan(path).lines[0].baseline == shown


@pytest.mark.parametrize("cell, message", [
    ("31/12/9999", "'31/12/9999' is not a plausible date (expected a year from 1900 to 2199)"),
    ("0001-01-01", "'0001-01-01' is not a plausible date"),
    ("30/02/2026", "'30/02/2026' is not a date")])
def test_extreme_or_impossible_dates_in_a_plan_are_refused_at_their_cell(tmp_path, cell, message):
    text = f'"Id","Action","Output due"\n"a1","Act","{cell}"\n'
    with pytest.raises(InputError) as caught:
        read_csv_text(text, "plan.csv")
    assert str(caught.value).startswith("plan.csv:2:3: Output due: ") and message in str(caught.value)


DECLARATIONS = {
    "external entity": b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "billion laughs": b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                      b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    "parameter entity": b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>',
    "external DTD": b'<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">',
}


def rebuild(source: Path, target: Path, edit=None, extra=()) -> None:  # noqa: ANN001
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if edit is not None:
                data = edit(info.filename, data)
            new.writestr(info.filename, data)
        for name, data in extra:
            new.writestr(name, data)


def declare(decl: bytes):  # noqa: ANN201
    def edit(name: str, data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            end = data.index(b"?>") + 2
            return data[:end] + decl + data[end:]
        return decl + data
    return edit


@pytest.mark.parametrize("kind", list(DECLARATIONS))
def test_every_xml_part_that_declares_anything_is_refused_before_parsing(tmp_path, kind):
    path = workbook(tmp_path)
    with zipfile.ZipFile(path) as book:
        parts = [n for n in book.namelist() if n.endswith((".xml", ".rels"))]
    assert len(parts) >= 8
    for part in parts:
        bad = tmp_path / "bad.xlsx"
        rebuild(path, bad, lambda name, data: declare(DECLARATIONS[kind])(name, data) if name == part else data)
        with pytest.raises(InputError) as caught:
            read_plan(bad)
        assert str(caught.value) == (f"{bad}: the workbook has a part '{part}' whose XML declares a document type or "
                                     "entities (<!DOCTYPE ...>), which efl never reads: they can make a file expand "
                                     "without end or pull in other files (expected a file saved by Excel, "
                                     "LibreOffice or efl, which declare none)")


def test_a_hostile_workbook_named_as_the_plan_is_exit_2_in_a_real_process(tmp_path):
    path = workbook(tmp_path)
    folder = tmp_path / "harrow"
    rebuild(path, folder / "action-plan.xlsx", declare(DECLARATIONS["billion laughs"]))
    text = (folder / "assessment.yaml").read_text()
    (folder / "assessment.yaml").write_text(text.replace("plan: action-plan.yaml", "plan: action-plan.xlsx"))
    done = subprocess.run([sys.executable, "-m", "efl", "progress", str(folder)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{folder / 'action-plan.xlsx'}: the workbook has a part" in done.stderr


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_archive_limits_hold_whatever_the_headers_say(tmp_path):
    path = workbook(tmp_path)
    cases = {}
    rebuild(path, tmp_path / "twice.xlsx", extra=[("xl/workbook.xml", b"<workbook/>")])
    cases["twice.xlsx"] = "has two parts named 'xl/workbook.xml'"
    rebuild(path, tmp_path / "bomb.xlsx", extra=[("xl/media/image1.bin", b"\0" * (10 << 20))])
    cases["bomb.xlsx"] = "that inflates"
    rebuild(path, tmp_path / "big.xlsx", extra=[(f"xl/media/image{i}.bin", os.urandom(1 << 20)) for i in range(21)])
    cases["big.xlsx"] = "over the limit of 20,971,520"
    rebuild(path, tmp_path / "many.xlsx", extra=[(f"x/{i}.bin", b"") for i in range(MAX_MEMBERS)])
    cases["many.xlsx"] = "parts, more than 10,000"
    # A member whose header claims it is small: inflating stops at the claim, and the damage is named.
    liar = tmp_path / "liar.xlsx"
    rebuild(path, liar)
    data = bytearray(liar.read_bytes())
    entry = data.rfind(b"PK\x01\x02", 0, data.find(b"xl/styles.xml", data.find(b"PK\x01\x02")) + 1)
    data[entry + 24:entry + 28] = (10).to_bytes(4, "little")  # uncompressed size in the central directory
    liar.write_bytes(bytes(data))
    cases["liar.xlsx"] = "damaged part"
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    cases["junk.xlsx"] = "not a readable .xlsx workbook"
    for name, words in cases.items():
        with pytest.raises(InputError) as caught:
            read_plan(tmp_path / name)
        assert words in str(caught.value), (name, str(caught.value))


# --- office writers never fail on text --------------------------------------------------------------------

HOSTILE_TEXT = st.text(alphabet=st.characters(codec="utf-8", blacklist_categories=("Cs",)), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def harrow_result():
    from efl.core.engine import assess
    from efl.core.plugin_host import load_plugins

    host = load_plugins((), autoload=False)
    run = assess(HARROW, host)
    plan = read_plan(HARROW / "action-plan.yaml")
    return host, run.result, plan


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pasted=HOSTILE_TEXT)
def test_any_text_in_a_plan_or_a_council_name_makes_office_files_with_a_warning(harrow_result, capsys, pasted):
    from efl.core.plugin_api import ReportOptions
    from efl.reports.report_formats import render

    host, result, plan = harrow_result
    result = result.model_copy(update={"assessment": result.assessment.model_copy(
        update={"council": f"Harrow {pasted}"})})
    first = plan.lines[0].model_copy(update={"action": f"{pasted} Every directorate", "lead": pasted})
    plan = plan.model_copy(update={"lines": [first, *plan.lines[1:]]})
    bad = sorted({c for c in pasted if xml_safe(c) != c})
    for fmt, options in (("docx", ReportOptions()), ("xlsx", ReportOptions(plan=plan))):
        data = render(host, result, fmt, options)
        assert isinstance(data, bytes) and data.startswith(b"PK")
        warned = capsys.readouterr().err
        if bad:
            assert "characters a Word or Excel file cannot hold" in warned
            assert all(f"U+{ord(c):04X}" in warned for c in bad)
        else:
            assert warned == ""
    back = efl.plan.action_plan.read_xlsx(data, "p.xlsx")
    assert back.lines[0].action == unicodedata.normalize("NFC", xml_safe(first.action))


def test_a_community_group_name_pasted_from_word_makes_a_word_report(tmp_path):
    folder = tmp_path / "bexley"
    shutil.copytree(EXAMPLES / "bexley", folder)
    profile = next((folder / "evidence").glob("community*.csv"))
    text = profile.read_text()
    first_group = text.splitlines()[1].split(",")[1]
    profile.write_text(text.replace(first_group, first_group + "\x01\x0b", 1))
    for fmt in ("docx", "xlsx"):
        out = run_efl("assess", folder, "--format", fmt, "-o", tmp_path / f"r.{fmt}")
        assert out.exit_code == 0, out.stderr
        assert "Traceback" not in out.stderr and "plugin" not in out.stderr


def test_xml_safe_changes_nothing_that_xml_can_hold():
    ok = "Tab\tline\nreturn\r é 中 \U0001f600 \x85 \u2028"
    assert xml_safe(ok) is ok
    assert xml_safe("a\x01b\x0bc\ufffe") == "a\\x01b\\x0bc\\ufffe"
    plan = Plan(lines=[PlanLine(id="a", action="x\x01")])
    cleaned = xml_safe(plan)
    assert cleaned.lines[0].action == "x\\x01" and plan.lines[0].action == "x\x01"


# --- names and words as people type them -----------------------------------------------------------------

def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_council_name_typed_on_a_mac_is_the_same_council(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, name in ((a, "Ynys Môn Council"), (b, nfd("Ynys Môn Council"))):
        shutil.copytree(EXAMPLES / "london-councils", folder)
        text = (folder / "assessment.yaml").read_text()
        (folder / "assessment.yaml").write_text(text.replace("name: London Councils", f"name: {name}", 1),
                                                encoding="utf-8")
    assert nfd("ô") != "ô"
    out = run_efl("compare", a, b)
    assert out.exit_code == 0, out.stderr
    saved = tmp_path / "b.json"
    saved.write_text(run_efl("assess", b, "--format", "json").output.replace("\\u00f4", nfd("ô")), encoding="utf-8")
    assert run_efl("compare", a, saved).exit_code == 0


def test_a_lead_typed_on_a_mac_or_in_capitals_is_the_role(tmp_path):
    folder = harrow(tmp_path)
    yaml = folder / "assessment.yaml"
    yaml.write_text(yaml.read_text().replace("title: Head of HR", "title: Head of HR and Équalities", 1), encoding="utf-8")
    plan = folder / "action-plan.yaml"
    text = plan.read_text()
    first_lead = "lead: Chairs of the Directorate Equality Task Groups"
    assert first_lead in text
    plan.write_text(text.replace(first_lead, f"lead: {nfd('HEAD OF HR AND ÉQUALITIES')}", 1), encoding="utf-8")
    out = run_efl("progress", folder, "--format", "json")
    assert out.exit_code == 0, out.stderr
    leads = [line["lead"] for o in out.json["by_objective"] for line in o["lines"]]
    assert "Head of HR and Équalities" in leads


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\U000e0041", "\u3164"]


def test_invisible_characters_in_a_council_name_are_shown_on_the_terminal(tmp_path):
    import json

    folder = tmp_path / "lc"
    shutil.copytree(EXAMPLES / "london-councils", folder)
    text = (folder / "assessment.yaml").read_text()
    escaped = "".join(c.encode("unicode_escape").decode() for c in INVISIBLE)
    (folder / "assessment.yaml").write_text(text.replace("name: London Councils", f'name: "London{escaped}Councils"', 1))
    done = subprocess.run([sys.executable, "-m", "efl", "assess", str(folder)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not any(c in done.stdout for c in INVISIBLE)
    assert "London" + escaped.replace("\\xad", "\\x" + "ad") + "Councils" in done.stdout
    as_json = subprocess.run([sys.executable, "-m", "efl", "assess", str(folder), "--format", "json"],
                             capture_output=True, text=True, timeout=60)
    assert not any(c in as_json.stdout for c in INVISIBLE)
    assert json.loads(as_json.stdout)["assessment"]["council"] == "London" + "".join(INVISIBLE) + "Councils"


# --- numbers written in YAML keep their text -----------------------------------------------------------

def test_a_baseline_written_1_10_is_kept_as_written(tmp_path):
    folder = harrow(tmp_path)
    plan = folder / "action-plan.yaml"
    plan.write_text(plan.read_text().replace("baseline: 64%", "baseline: 1.10", 1).replace("target: 90%", "target: 007", 1))
    for ending in (".yaml", ".csv", ".xlsx"):
        out = run_efl("assess", folder, "--plan", tmp_path / f"p{ending}")
        assert out.exit_code == 0, out.stderr
        line = read_plan(tmp_path / f"p{ending}").lines[0]
        assert (line.baseline, line.target) == ("1.10", "007"), ending


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=PLAN_TEXT, lead=PLAN_TEXT, notes=st.lists(NOTE_LINES, min_size=1, max_size=2))
def test_any_plan_text_round_trips_through_a_workbook(harrow_result, action, lead, notes):
    """What XML can hold comes back exactly; what it cannot comes back as its visible escape."""
    import datetime as dt

    host, result, _ = harrow_result
    made = [PlanNote(date=dt.date(2026, 2, 1 + i), text=canonical_note("\n".join(lines)) or "x")
            for i, lines in enumerate(notes)]
    plan = Plan(lines=[PlanLine(id="a-1", action=action, lead=lead, notes=made, status="At Risk")])
    data = efl.plan.action_plan.render_plan(plan, Path("p.xlsx"), host, result)
    back = efl.plan.action_plan.read_xlsx(data, "p.xlsx").lines[0]
    seen = lambda t: unicodedata.normalize("NFC", xml_safe(t))  # noqa: E731
    assert (back.action, back.lead, back.status) == (seen(action), seen(lead), "at risk")
    assert [(n.date, n.text) for n in back.notes] == [(n.date, canonical_note(seen(n.text))) for n in made]


def test_two_runs_updating_one_plan_at_once_lose_nothing(tmp_path):
    """Two real efl processes replace the same plan at the same moment: whichever writes second finds
    the plan changed and refuses, so the plan holds each line exactly once."""
    folder = harrow(tmp_path)
    plan = folder / "action-plan.yaml"
    command = [sys.executable, "-m", "efl", "assess", str(folder), "--plan", str(plan), "--force"]
    runs = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    codes = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert all(code in (0, 2) for code, _ in codes) and any(code == 0 for code, _ in codes), codes
    assert all("changed since efl read it" in err for code, err in codes if code == 2)
    ids = [line.id for line in read_plan(plan).lines]
    assert len(ids) == len(set(ids)) and "wf-training" in ids
    assert temporaries(folder) == []


def test_progress_reads_the_plan_a_lead_officer_sent_back(tmp_path):
    """A workbook out and back: a hidden copy in front, the objective merged down, a note of two lines."""
    path = workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Action plan"]
    headers = [c.value for c in sheet[1]]
    notes = headers.index("Progress notes") + 1
    sheet.cell(2, notes).value = "2017-02-01: Reminder sent\n2017-03-01 is the deadline for returns"
    sheet.cell(2, headers.index("Status") + 1).value = "AT RISK"
    old = book.copy_worksheet(sheet)
    old.title = "Q3"
    old.cell(2, headers.index("Status") + 1).value = "done"
    book.move_sheet(old, offset=-book.index(old))
    old.sheet_state = "hidden"
    book.active = 1
    book.save(tmp_path / "harrow" / "action-plan.xlsx")
    yaml = tmp_path / "harrow" / "assessment.yaml"
    yaml.write_text(yaml.read_text().replace("plan: action-plan.yaml", "plan: action-plan.xlsx"))
    out = run_efl("progress", tmp_path / "harrow", "--as-of", "2017-03-31", "--format", "json")
    assert out.exit_code == 0, out.stderr
    first = out.json["by_objective"][0]["lines"][0]
    assert first["status"] == "at risk"
    assert first["latest_note"] == "1 February 2017: Reminder sent\n2017-03-01 is the deadline for returns"


@pytest.mark.office
def test_a_workbook_saved_again_by_libreoffice_reads_back_the_same(tmp_path):
    """LibreOffice, as a lead officer's computer would: open efl's workbook and save it as .xlsx."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    path = workbook(tmp_path)
    plan = read_plan(path)
    saved = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                    str(saved), str(path)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    assert read_plan(saved / path.name) == plan


def test_excel_escapes_in_a_cell_read_as_their_characters_and_typed_ones_stay_text(tmp_path, harrow_result):
    """Excel writes a carriage return in a cell as ``_x000D_`` (and a typed ``_x`` as ``_x005F_x``)."""
    path = tmp_path / "excel.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Id", "Action"])
    book.active.append(["a1", "Line one_x000D_\nline two, code _x005F_x0041_"])
    book.save(path)
    assert read_plan(path).lines[0].action == "Line one\r\nline two, code _x0041_"
    host, result, _ = harrow_result
    plan = Plan(lines=[PlanLine(id="a", action="typed _x000D_ and \r itself")])
    data = efl.plan.action_plan.render_plan(plan, Path("p.xlsx"), host, result)
    assert efl.plan.action_plan.read_xlsx(data, "p.xlsx").lines[0].action == "typed _x000D_ and \r itself"


@pytest.mark.parametrize("text, where, words", [
    ('"Id","Action","Action"\n"a","x","y"\n', "1:3", "column 'Action' appears twice"),
    ('"Id","Action","Lead","Owner"\n"a","x","p","q"\n', "1:4", "column 'Owner' holds the lead, as column 'Lead' does"),
    ('"Id","","Action"\n"a","typed here","y"\n', "2:2", "'typed here' is in a column with no heading"),
    ('"Id","Action"\n"a","x","a comment to the right"\n', "2:3", "is in a column with no heading"),
])
def test_no_word_of_a_table_plan_is_dropped_without_a_message(text, where, words):
    with pytest.raises(InputError) as caught:
        read_csv_text(text, "plan.csv")
    assert str(caught.value).startswith(f"plan.csv:{where}: ") and words in str(caught.value)


def test_a_result_with_half_a_character_is_refused_not_a_traceback(tmp_path):
    """A JSON ``\\ud800`` escape is half a character: no report can be written from it."""
    saved = tmp_path / "r.json"
    text = run_efl("assess", EXAMPLES / "london-councils", "--format", "json").output
    saved.write_text(text.replace('"council": "London Councils"', '"council": "London\\ud800 Councils"', 1))
    done = subprocess.run([sys.executable, "-m", "efl", "report", str(saved)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "'\\ud800' is half of a character (a lone surrogate)" in done.stderr
    for fmt in ("json", "markdown", "html"):
        out = run_efl("report", saved, "--format", fmt)
        assert out.exit_code == 2 and "is half of a character" in out.stderr
    pair = tmp_path / "ok.json"
    pair.write_text(text.replace('"council": "London Councils"', '"council": "\\ud83d\\ude00 Councils"', 1))
    assert run_efl("report", pair).exit_code == 0  # a whole character spelt as two escapes is text
