"""Signing evidence packs: an Ed25519 key pair for a council (or a peer team) and a detached signature.

A pack's manifest lists the sha256 of every member, the result and the withheld figures included,
so a signature over the manifest's bytes covers the whole pack: change anything, even a figure that
rests on a personal file the peer team never sees, and either the manifest no longer matches the
pack or the signature no longer matches the manifest. The signature is a separate member
(``manifest.sig``), detached from what it signs, and is checked with the signer's public key, which
the peer team gets from the council by another route (so a forger cannot swap the key in the pack).

``cryptography``'s Ed25519 is used, not hand-written code: keys are stored as standard PEM files.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from efl.errors import Diagnostic, InputError

SIGNATURE = "manifest.sig"
ALGORITHM = "ed25519"
_KEY_LIMIT = 64 * 1024


def _crypto():  # noqa: ANN202
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return serialization, ed25519


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh key pair as (private PEM, public PEM)."""
    serialization, ed25519 = _crypto()
    private = ed25519.Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    return private_pem, public_pem


def fingerprint(public_raw: bytes) -> str:
    """A public key's fingerprint, as people compare it over the phone: 4 groups of 4 hex digits."""
    digest = hashlib.sha256(public_raw).hexdigest()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def _read_key_file(path: Path) -> bytes:
    from efl.files.safe_files import FileProblem, as_diagnostic, read_named_file

    try:
        return read_named_file(path, _KEY_LIMIT)
    except FileProblem as problem:
        raise InputError(as_diagnostic(str(path), problem)) from None


def load_private(path: Path):  # noqa: ANN201
    serialization, ed25519 = _crypto()
    data = _read_key_file(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise InputError(Diagnostic(str(path), message=f"not a private key efl can sign with ({_first(exc)}) "
                                    "(expected the .key file 'efl key new NAME' writes)")) from None
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise InputError(Diagnostic(str(path), message="is not an Ed25519 private key (expected the .key file "
                                    "'efl key new NAME' writes)"))
    return key


def load_public(path: Path):  # noqa: ANN201
    serialization, ed25519 = _crypto()
    data = _read_key_file(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        hint = " (this is a private key: give the .pub file)" if b"PRIVATE KEY" in data else ""
        raise InputError(Diagnostic(str(path), message=f"not a public key ({_first(exc)}){hint} (expected the "
                                    ".pub file 'efl key new NAME' writes)")) from None
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise InputError(Diagnostic(str(path), message="is not an Ed25519 public key (expected the .pub file "
                                    "'efl key new NAME' writes)"))
    return key


def _first(exc: Exception) -> str:
    return str(exc).splitlines()[0].rstrip(".") if str(exc) else type(exc).__name__


def _raw_public(key) -> bytes:  # noqa: ANN001
    serialization, _ = _crypto()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def sign_manifest(manifest: bytes, private_key) -> bytes:  # noqa: ANN001
    """The detached signature member: the algorithm, the signer's public key and the signature."""
    public = _raw_public(private_key.public_key())
    record = {"algorithm": ALGORITHM, "signed": "manifest.json",
              "public_key": base64.b64encode(public).decode(), "fingerprint": fingerprint(public),
              "signature": base64.b64encode(private_key.sign(manifest)).decode()}
    return (json.dumps(record, indent=2) + "\n").encode()


def check_signature(manifest: bytes, signature_member: bytes, public_key) -> str | None:  # noqa: ANN001
    """None when ``signature_member`` is a valid signature of ``manifest`` by ``public_key``; else why not."""
    from cryptography.exceptions import InvalidSignature

    try:
        record = json.loads(signature_member)
        signature = base64.b64decode(record["signature"], validate=True)
        if record.get("algorithm") != ALGORITHM:
            return f"is signed with {record.get('algorithm')!r} (expected {ALGORITHM})"
    except (ValueError, KeyError, TypeError, AttributeError):
        return "is not a signature efl wrote (expected the manifest.sig 'efl pack --sign' writes)"
    try:
        public_key.verify(signature, manifest)
    except InvalidSignature:
        theirs = record.get("fingerprint", "unknown")
        return (f"does not match the key given (fingerprint {fingerprint(_raw_public(public_key))}; the pack says "
                f"it was signed by {theirs}): the manifest changed after signing, or someone else signed it")
    return None


def signer_fingerprint(signature_member: bytes) -> str:
    try:
        return str(json.loads(signature_member)["fingerprint"])
    except (ValueError, KeyError, TypeError):
        return "unknown"


def public_fingerprint(public_key) -> str:  # noqa: ANN001
    return fingerprint(_raw_public(public_key))
