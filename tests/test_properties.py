"""Property-based tests: random YAML and CSV fed to the loaders end in a result or a clean input error.

"Clean" means an ``InputError`` whose every diagnostic names the file, and never any other
exception (which the CLI would show as a traceback).
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from efl.errors import InputError
from efl.files.evidence import load_csv
from efl.core.models import Assessment
from efl.testing import make_folder, run_efl
from efl.files.yamlio import parse_yaml
from efl_plugins.services import parse_eqia
from efl_plugins.workforce import parse_workforce

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks like YAML more often than random unicode does: indicators, quotes, tabs, anchors.
YAML_ALPHABET = string.ascii_letters + string.digits + " \t\n:-[]{}#&*!|>'\"%@`,?.~\\" + "é\x00\x07\ufeff"
yaml_text = st.text(alphabet=YAML_ALPHABET, max_size=300)


def clean(error: InputError, shown: str) -> bool:
    return bool(error.diagnostics) and all(d.path == shown and d.message for d in error.diagnostics)


@SETTINGS
@given(yaml_text)
def test_random_yaml_parses_or_is_a_positioned_error(text):
    try:
        parse_yaml(text, "random.yaml")
    except InputError as error:
        assert clean(error, "random.yaml")
        for d in error.diagnostics:
            assert d.line is None or 1 <= d.line <= text.count("\n") + 2


json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.dates().map(str),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)
keys = st.sampled_from(["framework", "council", "date", "period", "assessor", "evidence", "claims", "agreed",
                        "note", "local_characteristics", "evidence_from", "colour"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(keys, json_like, max_size=6))
def test_random_assessment_files_validate_or_fail_cleanly(tmp_path_factory, data):
    folder = make_folder(tmp_path_factory.mktemp("random"), {"assessment.yaml": data})
    out = run_efl("validate", folder)
    assert out.exit_code in (0, 2), out.stderr + str(out.exception)
    assert "Traceback" not in out.stderr
    if out.exit_code == 2:
        assert str(folder) in out.stderr or "no framework called" in out.stderr


CSV_ALPHABET = "abcxyz019.,-;\"\n\r \t" + "é\x00"
csv_bytes = st.one_of(st.binary(max_size=300), st.text(alphabet=CSV_ALPHABET, max_size=300).map(str.encode))
WORKFORCE_HEADER = b"employee_id,sex,hourly_pay,bonus_pay,senior,race\n"
ASSESSMENT = Assessment.model_construct(local_characteristics=[])


@SETTINGS
@given(csv_bytes)
@example(b'\x01",,')  # a quote inside a field once sent the duplicate-column position out of range
def test_random_csv_reads_or_is_a_positioned_error(data):
    try:
        load_csv(data, "random.csv")
    except InputError as error:
        assert clean(error, "random.csv")


@SETTINGS
@given(st.text(alphabet=CSV_ALPHABET, max_size=400))
def test_random_workforce_rows_give_records_or_errors(body):
    for parse in (parse_workforce, parse_eqia):
        header = WORKFORCE_HEADER if parse is parse_workforce else b"decision,decision_date,eqia_done\n"
        try:
            table = load_csv(header + body.encode("utf-8"), "rows.csv")
            parsed = parse(table, None, ASSESSMENT)
        except InputError as error:
            assert clean(error, "rows.csv")
            continue
        assert parsed is not None
        for problem in table.problems:
            assert problem.path == "rows.csv" and problem.line >= 2
