"""Packs that cannot be forged quietly, and a verify that holds against hostile packs.

Each forgery here is made as a forger with efl would make it: change something, then bring every
fingerprint the manifest holds up to date (and, where it helps the forger, regenerate result.json
with efl itself), so that only the checks verify adds can catch it.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile

import pytest

from efl.testing import run_efl

from conftest import EXAMPLES

BEXLEY, PEER = EXAMPLES / "bexley", EXAMPLES / "bexley-peer"


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    root = tmp_path_factory.mktemp("packs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EFL_DISABLE_PLUGIN_AUTOLOAD", "1")
        run_efl("key", "new", root / "council").assert_success()
        run_efl("pack", BEXLEY, "-o", root / "plain.zip").assert_success()
        run_efl("pack", BEXLEY, "-o", root / "signed.zip", "--sign", root / "council.key").assert_success()
    return root


def members(pack) -> dict[str, bytes]:
    with zipfile.ZipFile(pack) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def forge(source, target, changes: dict[str, bytes], update_manifest: bool = True, extra: list | None = None):
    """Write ``target``: ``source`` with members replaced, and the manifest's fingerprints brought up to date."""
    files = members(source)
    files.update(changes)
    if update_manifest:
        manifest = json.loads(files["manifest.json"])
        for entry in manifest["files"] + [manifest["result"]]:
            data = files[entry["path"]]
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
        files["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
        for name, data in extra or []:
            out.writestr(name, data)
    return target


def result_of(folder) -> bytes:
    return run_efl("assess", folder, "--format", "json").assert_success().output.encode()


def unpacked(pack, into):
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(into)
    return into / "assessment"


def test_untouched_packs_verify(packs):
    out = run_efl("verify", packs / "plain.zip").assert_success()
    assert "unchanged" in out.output and "gives the packed result byte for byte" in out.output
    # The figures that rest on the withheld workforce file are named as the council's word.
    assert "rest on personal files withheld from the pack ('evidence/workforce-profile.csv')" in out.output
    assert "workforce.pay_gap.median_hourly_pct" in out.output and "cannot be re-computed" in out.output
    # ... and so are the tests they decide, by title, as the peer team reads them.
    flat = " ".join(out.output.split())
    # Four tests use the withheld figures. The pay gap duty is not among them: its report for the snapshot due
    # (31 March 2024) was published, so its judgement rests on the published report, not on the payroll.
    assert "They decide 4 tests:" in flat and "'Gender pay gap published" not in flat and "'A small gender pay gap with women well represented in the top " \
        "quartile'" in flat
    signed = run_efl("verify", packs / "signed.zip", "--key", packs / "council.pub").assert_success()
    assert "The council's signature matches" in signed.output and "signature covers them" in signed.output


def test_an_edited_result_with_its_manifest_entry_is_caught(packs, tmp_path):
    result = json.loads(members(packs / "plain.zip")["result.json"])
    result["areas"][0]["level"] = "excellent" if result["areas"][0]["level"] != "excellent" else "achieving"
    forged = forge(packs / "plain.zip", tmp_path / "f.zip", {"result.json": json.dumps(result, indent=2).encode()})
    out = run_efl("verify", forged).assert_exit(4)
    assert f"{forged}:result.json: does not follow from the folder" in out.stderr
    assert "areas[0].level" in out.stderr


def test_a_swapped_result_is_caught(packs, tmp_path):
    other = result_of(EXAMPLES / "london-councils")
    forged = forge(packs / "plain.zip", tmp_path / "f.zip", {"result.json": other})
    out = run_efl("verify", forged).assert_exit(4)
    assert f"{forged}:result.json: does not follow from the folder" in out.stderr


def test_raised_claims_are_caught(packs, tmp_path):
    files = members(packs / "plain.zip")
    text = files["assessment/assessment.yaml"].decode()
    assert "claims:" in text
    raised = text.replace("  kyc:\n    level: achieving", "  kyc:\n    level: excellent", 1)
    assert raised != text
    forged = forge(packs / "plain.zip", tmp_path / "f.zip", {"assessment/assessment.yaml": raised.encode()})
    out = run_efl("verify", forged).assert_exit(4)
    assert f"{forged}:assessment/assessment.yaml: disagrees with the result: assessment.claims" in out.stderr
    assert f"{forged}:result.json: does not follow from the folder" in out.stderr


def test_a_moved_evidence_date_is_caught(packs, tmp_path):
    files = members(packs / "plain.zip")
    text = files["assessment/assessment.yaml"].decode()
    moved = text.replace("date: 2025-06-30", "date: 2025-10-30", 1)
    assert moved != text
    forged = forge(packs / "plain.zip", tmp_path / "f.zip", {"assessment/assessment.yaml": moved.encode()})
    out = run_efl("verify", forged).assert_exit(4)
    assert "assessment/assessment.yaml: evidence '" in out.stderr and "is dated 2025-10-30 in the folder" in out.stderr


def test_edited_withheld_figures_are_caught_when_signed_and_named_when_not(packs, tmp_path):
    # The forger edits the withheld median pay gap, regenerates the result from the unpacked folder
    # with efl itself, and updates the manifest: everything is consistent except the signature.
    for name, extra in (("plain.zip", ()), ("signed.zip", ("--key", packs / "council.pub"))):
        folder = unpacked(packs / name, tmp_path / name)
        record = json.loads((folder / ".efl-withheld.json").read_text())
        fact = next(f for f in record["facts"] if f["name"] == "workforce.pay_gap.median_hourly_pct")
        fact["value"] = 0.5
        (folder / ".efl-withheld.json").write_text(json.dumps(record, indent=2) + "\n")
        regenerated = result_of(folder)
        forged = forge(packs / name, tmp_path / f"forged-{name}", {
            "assessment/.efl-withheld.json": (folder / ".efl-withheld.json").read_bytes(),
            "result.json": regenerated})
        out = run_efl("verify", forged, *extra)
        if extra:
            assert out.exit_code == 4
            assert "manifest.sig: does not match the key given" in out.stderr
        else:
            assert out.exit_code == 0  # nothing the peer team can re-compute has changed ...
            assert "workforce.pay_gap.median_hourly_pct" in out.output  # ... and it says what rests on trust
            assert "attested by the council and cannot be re-computed by the peer team" in out.output
            assert "rest on the council's word alone" in out.output


def test_a_stripped_signature_is_caught_when_the_key_is_given(packs, tmp_path):
    files = members(packs / "signed.zip")
    del files["manifest.sig"]
    stripped = tmp_path / "stripped.zip"
    with zipfile.ZipFile(stripped, "w") as out:
        for name, data in files.items():
            out.writestr(name, data)
    out = run_efl("verify", stripped, "--key", packs / "council.pub").assert_exit(4)
    assert "manifest.sig: missing: the pack is not signed" in out.stderr
    # Another council's key does not match either.
    run_efl("key", "new", tmp_path / "other").assert_success()
    out = run_efl("verify", packs / "signed.zip", "--key", tmp_path / "other.pub").assert_exit(4)
    assert "does not match the key given" in out.stderr
    assert "not a public key" in run_efl("verify", packs / "signed.zip", "--key", packs / "council.key") \
        .assert_exit(2).stderr


def test_key_files_are_private_and_never_overwritten(tmp_path):
    run_efl("key", "new", tmp_path / "team").assert_success()
    assert (tmp_path / "team.key").stat().st_mode & 0o777 == 0o600
    assert b"PRIVATE KEY" in (tmp_path / "team.key").read_bytes()
    assert b"PUBLIC KEY" in (tmp_path / "team.pub").read_bytes()
    assert "already exists" in run_efl("key", "new", tmp_path / "team").assert_exit(2).stderr
    run_efl("key", "noise", tmp_path / "noise.key").assert_success()
    assert len((tmp_path / "noise.key").read_text().strip()) == 64


def test_the_peer_record_can_be_packed_and_signed(packs, tmp_path):
    pack = tmp_path / "peer.zip"
    out = run_efl("pack", PEER, "-o", pack, "--sign", packs / "council.key").assert_success()
    assert "signed by the key" in out.stderr
    names = set(members(pack))
    assert "assessment/assessment.yaml" in names and "bexley/assessment.yaml" in names
    assert "bexley/evidence/workforce-profile.csv" not in names and "bexley/.efl-withheld.json" in names
    assert json.loads(members(pack)["manifest.json"])["kind"] == "peer"
    run_efl("verify", pack, "--key", packs / "council.pub").assert_success()
    # Moving a sign-off date is caught like any other edit.
    text = members(pack)["assessment/assessment.yaml"].decode()
    forged = forge(pack, tmp_path / "f.zip", {"assessment/assessment.yaml": text.replace("2026-04-14", "2026-04-20")
                                              .encode()})
    out = run_efl("verify", forged).assert_exit(4)
    assert "assessment/assessment.yaml: disagrees with the result: assessment.sign_off" in out.stderr


# --- hostile packs (issue 28 item 6) -----------------------------------------------------------------


def test_a_duplicate_member_is_refused(packs, tmp_path):
    name = "assessment/evidence/consultation-log.csv"
    forged = forge(packs / "plain.zip", tmp_path / "dup.zip", {}, extra=[(name, b"title,date\n")])
    out = run_efl("verify", forged).assert_exit(4)
    assert f"{forged}:{name}: appears twice in the pack" in out.stderr and "Traceback" not in out.stderr


def test_a_member_that_would_inflate_to_gigabytes_is_refused_before_reading(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        out.writestr("manifest.json", "{}")
        with out.open("result.json", "w", force_zip64=True) as handle:
            chunk = b"\0" * (1 << 24)
            for _ in range(16):  # 256 MB of zeros, a few hundred kB packed
                handle.write(chunk)
    assert bomb.stat().st_size < 2_000_000
    out = run_efl("verify", bomb).assert_exit(2)
    assert "result.json: would " in out.stderr and "Traceback" not in out.stderr


def test_a_deep_result_and_a_manifest_of_the_wrong_shape_are_refused(packs, tmp_path):
    deep = forge(packs / "plain.zip", tmp_path / "deep.zip", {"result.json": b"[" * 100_000 + b"]" * 100_000})
    out = run_efl("verify", deep).assert_exit(2)
    assert "result.json: nests 100,000 levels deep" in out.stderr and "Traceback" not in out.stderr
    manifest = json.loads(members(packs / "plain.zip")["manifest.json"])
    manifest["files"][0]["path"] = ["assessment", "assessment.yaml"]
    bad = forge(packs / "plain.zip", tmp_path / "bad.zip", {"manifest.json": json.dumps(manifest).encode()},
                update_manifest=False)
    out = run_efl("verify", bad).assert_exit(2)
    assert "manifest.json" in out.stderr and "files[0].path" in out.stderr and "Traceback" not in out.stderr


def test_a_member_leading_outside_is_refused(packs, tmp_path):
    bad = forge(packs / "plain.zip", tmp_path / "out.zip", {}, extra=[("../escape.txt", b"x")])
    out = run_efl("verify", bad).assert_exit(2)
    assert "leads outside the pack" in out.stderr


def test_a_folder_and_a_pipe_are_named_for_what_they_are(tmp_path):
    out = run_efl("verify", tmp_path).assert_exit(2)
    assert "folder" in out.stderr and "no such file" not in out.stderr
    fifo = tmp_path / "pack.zip"
    os.mkfifo(fifo)
    out = run_efl("verify", fifo).assert_exit(2)
    assert "named pipe" in out.stderr


def test_another_setting_cannot_vouch_for_a_pack(packs, tmp_path):
    manifest = json.loads(members(packs / "plain.zip")["manifest.json"])
    manifest["efl_version"] = "0.0.1"
    other = forge(packs / "plain.zip", tmp_path / "old.zip", {"manifest.json": json.dumps(manifest).encode()},
                  update_manifest=False)
    out = run_efl("verify", other).assert_exit(2)
    assert "cannot be re-worked out here" in out.stderr and "efl 0.0.1" in out.stderr
    assert "unchanged" not in out.output
