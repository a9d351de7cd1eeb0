"""What the core needs from plugins is declared, never known by name.

An evidence type says it is personal, a fact says it is the headcount, a rule's trace carries a due
date, an evidence type names the item fields it requires: a third-party plugin uses each exactly as a
built-in does. And nothing in ``efl/`` names a built-in plugin's evidence type or fact (outside the
``efl init`` template), so switching a built-in off really switches it off.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

import efl
from efl.core.engine import assess, prepare
from efl.core.models import EvidenceItem, FactValue
from efl.core.plugin_host import load_plugins
from efl.core.rules import RuleContext
from efl.errors import InputError
from efl.files.evidence import EvidenceRecord, EvidenceSet
from efl.law.statutory import current_headcount, dated_headcount, snapshot_headcount
from efl.peer.pack import make_pack

from conftest import ROOT, FrameworkFile, assessment_yaml, framework_yaml, write_files


# --- Trace.due and Trace.overdue --------------------------------------------------------------------

class DeadlineRule:
    """A third-party rule type with a deadline of its own (31 March 2025, passed by the assessment)."""

    @efl.hookimpl
    def efl_register_rule_types(self, register):
        from pydantic import BaseModel

        class Options(BaseModel):
            deadline: dt.date

        def evaluate(rule, ctx):
            due = rule.options.deadline
            return efl.Trace(rule="deadline", outcome="not_met", reason="the return was not sent",
                             due=due, overdue=due < ctx.date)

        register(efl.RuleType("deadline", Options, evaluate))


def test_a_plugin_rule_sets_the_due_date_of_its_criterion_and_action(tmp_path):
    fw = tmp_path / "fw" / "test-fw.yaml"
    fw.parent.mkdir()
    fw.write_text(framework_yaml("""\
        - id: return
          title: The return is sent
          level: developing
          action: Send the return.
          source: test
          rule:
            all:
              - deadline: 2025-03-31
              - deadline: 2026-03-31
        """), encoding="utf-8")
    host = load_plugins(extra=[("fw", FrameworkFile(fw)), ("deadlines", DeadlineRule())])
    folder = write_files(tmp_path / "a", {"assessment.yaml": assessment_yaml(date="2025-06-30")})
    result = assess(folder, host).result
    (criterion,) = result.areas[0].criteria
    # The earliest due date of the leaves that decided the outcome, and whether it had passed.
    assert (criterion.due, criterion.overdue) == (dt.date(2025, 3, 31), True)
    (action,) = result.actions
    assert (action.due, action.overdue) == (dt.date(2025, 3, 31), True)
    leaves = result.model_dump(mode="json")["areas"][0]["criteria"][0]["trace"]["children"]
    assert [(leaf["due"], leaf.get("overdue", False)) for leaf in leaves] == [("2025-03-31", True), ("2026-03-31", False)]


def test_a_trace_without_a_deadline_keeps_its_json_as_before():
    data = efl.Trace(rule="r", outcome="met", reason="yes").model_dump(mode="json")
    assert "due" not in data and "overdue" not in data
    assert efl.Trace.model_validate(data).due is None


# --- EvidenceType(personal=True) --------------------------------------------------------------------

class StaffList:
    """A third-party evidence type whose files always hold personal data."""

    @efl.hookimpl
    def efl_register_evidence_types(self, register):
        register(efl.EvidenceType("staff-list", "A list of staff by name", ("csv",), personal=True))
        register(efl.EvidenceType("rota", "A rota", ("csv",)))


def test_a_plugin_evidence_type_that_is_personal_is_left_out_of_a_pack(tmp_path):
    folder = write_files(tmp_path / "a", {
        "assessment.yaml": assessment_yaml("""\
            - {id: staff, type: staff-list, file: staff.csv, date: 2025-04-01}
            - {id: rota, type: rota, file: rota.csv, date: 2025-04-01}
            - {id: marked, type: rota, file: marked.csv, date: 2025-04-01, personal: true}
            """, framework="eflg-2014"),
        "staff.csv": "name\nAsha Patel\n", "rota.csv": "day\nMonday\n", "marked.csv": "name\nJo Bloggs\n"})
    packed = make_pack(folder, load_plugins(extra=[("staff", StaffList())]))
    names = zipfile.ZipFile(io.BytesIO(packed.data)).namelist()
    assert "assessment/rota.csv" in names
    assert "assessment/staff.csv" not in names and "assessment/marked.csv" not in names
    assert sorted(packed.withheld) == ["marked.csv", "staff.csv"]


# --- FactSpec(headcount=True) -----------------------------------------------------------------------

class HrCount:
    """A third-party fact that is the council's headcount."""

    def __init__(self, staff: int):
        self.staff = staff

    @efl.hookimpl
    def efl_register_facts(self, register):
        register(efl.FactSpec("hr.staff", "the people on the payroll", headcount=True))

    @efl.hookimpl
    def efl_compute_facts(self, context):
        return [efl.Fact("hr.staff", self.staff)]


@pytest.mark.parametrize("staff, outcome", [(300, "met"), (249, "not_met"), (250, "met")])
def test_a_plugin_headcount_decides_whether_a_duty_applies(tmp_path, staff, outcome):
    fw = tmp_path / "fw" / "test-fw.yaml"
    fw.parent.mkdir()
    text = framework_yaml("""\
        - id: pay-gap
          title: The pay gap duty applies
          level: developing
          action: Publish.
          source: test
          rule:
            duty_applies: gender-pay-gap
        """).replace('version: "1"\n', 'version: "1"\ncalendar: psed-england\n')
    fw.write_text(text, encoding="utf-8")
    # The built-in headcount plugin is switched off: the third-party fact is the only headcount.
    host = load_plugins(["no:council"], extra=[("fw", FrameworkFile(fw)), ("hr", HrCount(staff))])
    folder = write_files(tmp_path / "a", {"assessment.yaml": assessment_yaml(employees=None)})
    (criterion,) = assess(folder, host).result.areas[0].criteria
    assert criterion.outcome == outcome
    assert f"employed {staff:,} people" in criterion.reasons[0]
    assert criterion.facts == ["hr.staff"]


def _context(facts: dict[str, tuple[object, list[str]]], specs: dict[str, bool], dated: dict[str, str]) -> RuleContext:
    records = [EvidenceRecord(EvidenceItem(id=i, type="rota", date=d), None, "", None) for i, d in dated.items()]
    return RuleContext(dt.date(2025, 6, 30), EvidenceSet(records),
                       {n: FactValue(name=n, value=v, evidence=e, plugin="p") for n, (v, e) in facts.items()},
                       {n: efl.FactSpec(n, n, headcount=h) for n, h in specs.items()}, ())


def test_headcount_on_a_day_is_the_fact_dated_that_day_never_another_days():
    snapshot = dt.date(2024, 3, 31)
    specs = {"a.count": True, "b.count": True, "c.other": False}
    facts = {"a.count": (100, ["old"]), "b.count": (300, ["march"]), "c.other": (999, ["march"])}
    ctx = _context(facts, specs, {"old": "2023-03-31", "march": "2024-03-31"})
    dated = dated_headcount(ctx, snapshot)
    assert (dated.count, dated.facts, dated.evidence) == (300, ("b.count",), ("march",))
    assert dated.basis == "the rota dated 31 March 2024"
    assert (current_headcount(ctx).count, current_headcount(ctx).facts) == (100, ("a.count",))
    # On a day no evidence is dated, a count from another day's evidence is no headcount (SI 2017/353
    # Schedule 1 para 1: 250 or more employees *on the snapshot date*).
    assert dated_headcount(ctx, dt.date(2022, 3, 31)) is None
    assert snapshot_headcount(ctx, dt.date(2022, 3, 31), judged=True) is None


def test_a_declared_headcount_stands_for_the_snapshot_judged_only():
    ctx = _context({"a.count": (120, [])}, {"a.count": True}, {})
    # A fact from no evidence item is a declaration: it stands in for the snapshot judged, not for others.
    assert snapshot_headcount(ctx, dt.date(2023, 3, 31), judged=True).count == 120
    assert snapshot_headcount(ctx, dt.date(2023, 3, 31), judged=False) is None
    ctx.declared_employees = 400  # assessment.yaml's own figure comes first
    assert snapshot_headcount(ctx, dt.date(2023, 3, 31), judged=True).count == 400
    ctx.headcounts = {dt.date(2023, 3, 31): 260}  # and a headcount declared for that very day before it
    assert snapshot_headcount(ctx, dt.date(2023, 3, 31), judged=True).count == 260


def test_an_undated_headcount_does_not_stand_in_when_evidence_counts_other_days_only():
    # Evidence counts 300 people on 31 March 2024: the undated figures (a plugin's declaration, then
    # assessment.yaml's 400) are the count of some day, not of 31 March 2023, which stays unknown.
    ctx = _context({"a.count": (120, []), "b.count": (300, ["march"])}, {"a.count": True, "b.count": True},
                   {"march": "2024-03-31"})
    assert snapshot_headcount(ctx, dt.date(2023, 3, 31), judged=True) is None
    ctx.declared_employees = 400
    assert snapshot_headcount(ctx, dt.date(2023, 3, 31), judged=True) is None
    assert snapshot_headcount(ctx, dt.date(2024, 3, 31), judged=True).count == 300
    ctx.headcounts = {dt.date(2023, 3, 31): 260}  # a headcount declared for that day still counts
    assert snapshot_headcount(ctx, dt.date(2023, 3, 31), judged=True).count == 260


def test_headcount_ignores_facts_that_are_not_numbers():
    ctx = _context({"a.count": (True, []), "c.other": (5, [])}, {"a.count": True, "b.count": True, "c.other": False}, {})
    assert current_headcount(ctx) is None and snapshot_headcount(ctx, dt.date(2024, 3, 31), judged=True) is None


# --- EvidenceType(requires=...) ---------------------------------------------------------------------

class Minutes:
    @efl.hookimpl
    def efl_register_evidence_types(self, register):
        register(efl.EvidenceType("minutes", "Minutes of a meeting", file_required=False, requires=("url",)))


def test_a_field_an_evidence_type_requires_is_an_error_at_the_item(tmp_path):
    folder = write_files(tmp_path / "a", {"assessment.yaml": assessment_yaml("""\
        - {id: with-url, type: minutes, date: 2025-04-01, url: 'https://example.org/m'}
        - {id: without, type: minutes, date: 2025-04-01}
        """, framework="eflg-2014")})
    with pytest.raises(InputError) as caught:
        prepare(folder, load_plugins(extra=[("minutes", Minutes())]))
    (problem,) = [d for d in caught.value.diagnostics if not d.is_warning]
    text = (folder / "assessment.yaml").read_text(encoding="utf-8").splitlines()
    assert problem.line == next(i for i, t in enumerate(text, 1) if "id: without" in t)
    assert "an item of type 'minutes' needs 'url:'" in problem.message


# --- nothing in efl/ names a built-in plugin's evidence type or fact --------------------------------

TEMPLATE = ROOT / "efl" / "scaffold.py"  # efl init's template names the built-in types on purpose


def _builtin_names() -> tuple[set[str], set[str]]:
    host = load_plugins(autoload=False)
    builtin = {i.name for i in host.loaded() if i.builtin}
    facts = host.facts()
    types = host.evidence_types()
    return ({n for n, p in facts.owner.items() if p in builtin}, {n for n, p in types.owner.items() if p in builtin})


def _strings(tree: ast.AST) -> list[str]:
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_nothing_in_the_core_names_a_built_in_evidence_type_or_fact():
    facts, types = _builtin_names()
    assert "council.employees" in facts and "workforce-profile" in types and len(facts) > 40
    # Names with a dot or a hyphen are distinctive: none anywhere in the text (code, strings, comments).
    # One-word type names (policy, governance) only as a whole string.
    distinctive = sorted(n for n in facts | types if "." in n or "-" in n)
    plain = {n for n in types if n not in distinctive}
    found = []
    for path in sorted((ROOT / "efl").rglob("*.py")):
        if path == TEMPLATE:
            continue
        text = path.read_text(encoding="utf-8")
        shown = path.relative_to(ROOT)
        found += [f"{shown}: {n}" for n in distinctive if n in text]
        found += [f"{shown}: {s!r}" for s in _strings(ast.parse(text)) if s in plain]
    assert found == []


def test_the_core_imports_no_built_in_plugin():
    found = []
    for path in sorted((ROOT / "efl").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "efl_plugins"]
    assert found == []


# --- a Table's headers as written ------------------------------------------------------------------

def test_a_table_keeps_its_headers_as_written_beside_the_normalised_columns():
    from efl.files.columnar import load_table
    from efl.files.evidence import load_csv

    text = "Staff ID,Ethnic Origin, Sex \n" + "".join(f"{i},White British,F\n" for i in range(6000))
    small = load_csv(text[:200].rsplit("\n", 1)[0].encode() + b"\n", "s.csv")
    large = load_table(text.encode(), "l.csv")
    assert type(large).__name__ == "ArrowTable"  # over 100 kB: read column by column
    for table in (small, large):
        assert table.columns == ["staff_id", "ethnic_origin", "sex"]
        assert table.header == ["Staff ID", "Ethnic Origin", "Sex"]  # as written, outer spaces aside
