"""The batch parent's warm-up before it forks workers (efl.core.batch.warm_for_workers).

It only does early, once, what each worker would do on its first folder; so the summaries with
workers (warmed) must be those of one job in this process (never warmed), whatever the first folder
is, broken ones included, and the warm-up itself never raises.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest

from efl.core.batch import BatchOptions, make_engine, warm_for_workers
from efl.testing import run_efl

from conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")

FIRST_FOLDERS = {
    "bad-yaml": "council: {name: X\n",
    "bad-date": "council: {name: X}\ndate: nope\n",
    "unknown-framework": None,  # bexley's file naming a framework nobody ships
    "empty": "",
}


def region(tmp_path, first: str):  # noqa: ANN201
    """A first folder broken in the way named (it sorts first), then three worked examples."""
    base = tmp_path / first
    shutil.copytree(EXAMPLES / "bexley", base / "a-first")
    text = FIRST_FOLDERS[first]
    if text is None:
        yaml = (base / "a-first" / "assessment.yaml").read_text()
        text = yaml.replace("framework: eflg-2014", "framework: eflg-2099", 1)
        assert text != yaml
    (base / "a-first" / "assessment.yaml").write_text(text)
    for name in ("bexley", "london-councils", "harrow"):
        shutil.copytree(EXAMPLES / name, base / f"b-{name}")
    return base


@pytest.mark.parametrize("first", sorted(FIRST_FOLDERS))
def test_summaries_with_warmed_workers_are_those_of_one_job(tmp_path, first):
    folder = region(tmp_path, first)
    one = run_efl("assess", folder, "--summary", "json", "--jobs", "1")
    two = run_efl("assess", folder, "--summary", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.json == two.json
    assert one.json[0]["errors"] and not any(s["errors"] for s in one.json[1:])


def test_the_warm_up_does_the_first_folders_one_time_work(tmp_path):
    engine = make_engine(BatchOptions())
    warm_for_workers(engine, BatchOptions(), EXAMPLES / "bexley")
    assert list(engine.frameworks._loaded) == ["eflg-2014"]
    assert engine.frameworks._classifications is not None
    from efl.core.models import Record, Result, Trace

    assert Result.__pydantic_complete__ and Trace.__pydantic_complete__
    assert issubclass(Result, Record)


@pytest.mark.parametrize("first", ["missing", "not-a-folder", *sorted(FIRST_FOLDERS)])
def test_the_warm_up_never_raises(tmp_path, first):
    engine = make_engine(BatchOptions())
    if first == "missing":
        where = tmp_path / "nowhere"
    elif first == "not-a-folder":
        where = tmp_path / "file"
        where.write_text("x")
    else:
        where = region(tmp_path, first) / "a-first"
    warm_for_workers(engine, BatchOptions(), where)
    warm_for_workers(engine, BatchOptions(framework_id="no-such-framework"), EXAMPLES / "bexley")


WARM_AND_SAY = textwrap.dedent("""
    import sys
    from pathlib import Path
    from efl.core.batch import BatchOptions, make_engine, warm_for_workers
    assert "pyarrow" not in sys.modules
    warm_for_workers(make_engine(BatchOptions()), BatchOptions(), Path(sys.argv[1]))
    print("pyarrow" in sys.modules)
""")


def test_pyarrow_is_imported_only_for_a_first_folder_with_a_large_csv(tmp_path):
    from efl.files.columnar import MIN_BYTES

    small = tmp_path / "small"
    shutil.copytree(EXAMPLES / "bexley", small)
    large = tmp_path / "large"
    shutil.copytree(EXAMPLES / "bexley", large)
    workforce = next(large.glob("evidence/workforce*.csv"))
    lines = workforce.read_text().splitlines(keepends=True)
    body = lines[1:] * (MIN_BYTES // max(1, sum(map(len, lines[1:]))) + 1)
    workforce.write_text(lines[0] + "".join(body))
    said = {}
    for name, folder in (("small", small), ("large", large)):
        done = subprocess.run([sys.executable, "-c", WARM_AND_SAY, str(folder)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        said[name] = done.stdout.strip()
    assert said == {"small": "False", "large": "True"}


def test_a_large_csv_named_outside_the_first_folder_is_not_looked_at(tmp_path):
    from efl.files.columnar import MIN_BYTES

    folder = tmp_path / "council"
    shutil.copytree(EXAMPLES / "bexley", folder)
    outside = tmp_path / "outside.csv"
    outside.write_text("employee_id,sex\n" + "E1,F\n" * (MIN_BYTES // 5 + 1))
    yaml = folder / "assessment.yaml"
    workforce = next(folder.glob("evidence/workforce*.csv")).name
    yaml.write_text(yaml.read_text().replace(f"file: evidence/{workforce}", "file: ../outside.csv"))
    assert "../outside.csv" in yaml.read_text()
    done = subprocess.run([sys.executable, "-c", WARM_AND_SAY, str(folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("file, inside", [
    ("evidence/a.csv", True), ("a.csv", True), ("evidence\\a.csv", True), ("../a.csv", False),
    ("evidence/../../a.csv", False), ("/etc/a.csv", False), ("\\\\share\\a.csv", False), ("C:/a.csv", False),
    ("", False), (None, False),
])
def test_which_names_are_inside_the_folder(file, inside):
    from efl.core.batch import _inside

    assert _inside(file) is inside
