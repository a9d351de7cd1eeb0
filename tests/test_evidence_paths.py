"""Evidence files are read only from inside the assessment folder."""

from __future__ import annotations

import os

from click.testing import CliRunner

from efl.cli import cli

from conftest import assessment_yaml, write_files


def validate(folder):
    return CliRunner().invoke(cli, ["validate", str(folder)])


def test_paths_leading_outside_are_refused(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# not evidence\n")
    folder = tmp_path / "a"
    evidence = """\
    - id: up
      type: policy
      file: ../secret.md
      date: 2025-01-01
    - id: absolute
      type: policy
      file: {secret}
      date: 2025-01-01
    - id: link
      type: policy
      file: evidence/link.md
      date: 2025-01-01
    """.format(secret=secret)
    write_files(folder, {"assessment.yaml": assessment_yaml(evidence, framework="eflg-2014")})
    (folder / "evidence").mkdir()
    os.symlink(secret, folder / "evidence" / "link.md")
    out = validate(folder)
    assert out.exit_code == 2 and "Traceback" not in out.output
    shown = str(folder / "assessment.yaml")
    assert f"{shown}:9:11: '../secret.md' leads outside the assessment folder" in out.output
    assert f"{shown}:13:11: '{secret}' is an absolute path" in out.output
    assert f"{shown}:17:11: 'evidence/link.md' leads outside the assessment folder" in out.output


def test_link_inside_the_folder_is_fine(tmp_path):
    folder = tmp_path / "a"
    evidence = """\
    - id: link
      type: policy
      file: evidence/link.md
      date: 2025-01-01
    """
    write_files(folder, {"assessment.yaml": assessment_yaml(evidence, framework="eflg-2014"),
                         "docs/policy.md": "# Policy\n"})
    (folder / "evidence").mkdir()
    os.symlink(folder / "docs" / "policy.md", folder / "evidence" / "link.md")
    assert validate(folder).exit_code == 0
