"""Disclosure control for tables published across councils: cell-key perturbation.

The method is the cell-key method the Office for National Statistics used for Census 2021 outputs
("Protecting personal data in Census 2021 results"; the method specification in ONS's
cell-key-perturbation package): every record (here a council) has a **record key**; every cell of a
table has a **cell key** worked out from the record keys of what it counts; the cell key and the
true count pick the noise from a fixed **perturbation table** (ptable). So the same cell always gets
the same noise, and asking again reveals nothing new.

Three choices are ours, each because an attacker who knows everything efl prints, has efl itself,
earlier tables and some councils' own results must not work out any count exactly:

* **Record keys come from a secret**, not from anything published: HMAC-SHA256 of the council's name
  under a key the publisher keeps (``--noise-key FILE``), or, without one, a key worked out from the
  full results compared (their every byte: evidence fingerprints included). Someone holding one
  council's result and efl cannot recompute any noise.
* **A cell key covers its row's councils too** (those counted in the cell and all those in the row).
  Keyed on the cell's own councils alone, two tables one council apart would leave every other cell
  unchanged, so the one cell that moved would name the level of the council that joined. Here a
  table of other councils is perturbed afresh; the same councils with the same levels always give
  the same table.
* **The ptable has no edge**: the noise follows the truncated two-sided geometric distribution
  (Ghosh, Roughgarden and Sundararajan, 2009): shown count ``s`` for true count ``v`` in a row of
  ``n`` councils has probability proportional to ``RATIO ** |s - v|``, with what falls below 0 or
  above ``n`` shown as 0 or ``n``. Every count from 0 to ``n`` can be shown whatever the true
  count, so no table, no difference of tables and no council's own result pins a count down: a
  ptable with a largest change D lets a change of exactly -D be recognised as such. (It is also
  the geometric mechanism of differential privacy: one council more or less changes the
  probability of anything shown by at most a factor of 1 / RATIO per row.)

The cell key is used as an exact uniform number (as many HMAC blocks as needed), so the stated
probabilities hold exactly and the same inputs give the same table on every machine.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from fractions import Fraction
from pathlib import Path

from efl.errors import Diagnostic, InputError

RATIO = Fraction(1, 5)
MIN_KEY_BYTES = 16
_BLOCK_BITS = 256
_MAX_BLOCKS = 64  # 16,384 bits: an undecided interval that small has probability 2 ** -16384


def probability(shown: int, true: int, n: int, ratio: Fraction = RATIO) -> Fraction:
    """The ptable: the probability that a true count ``true`` in a row of ``n`` is shown as ``shown``."""
    if not (0 <= shown <= n and 0 <= true <= n):
        return Fraction(0)
    if n == 0:
        return Fraction(1)
    if shown == 0:
        return ratio ** true / (1 + ratio)
    if shown == n:
        return ratio ** (n - true) / (1 + ratio)
    return (1 - ratio) / (1 + ratio) * ratio ** abs(shown - true)


def _name(council: str) -> bytes:
    return unicodedata.normalize("NFC", council).encode()


def record_key(secret: bytes, council: str) -> bytes:
    """A council's record key: unpredictable without the secret, the same every time with it."""
    return hmac.new(secret, b"efl-record\0" + _name(council), hashlib.sha256).digest()


def _cell_blocks(secret: bytes, row: str, level: str | None, members: list[str], row_councils: list[str]):  # noqa: ANN202
    """The cell key as a stream of 256-bit blocks (HMAC-SHA256 in counter mode)."""
    parts = [b"efl-cell", row.encode(), (level or "").encode()]
    parts += [b"counted"] + sorted(record_key(secret, c) for c in members)
    parts += [b"row"] + sorted(record_key(secret, c) for c in row_councils)
    seed = hmac.new(secret, b"\0".join(parts), hashlib.sha256).digest()
    for i in range(_MAX_BLOCKS):
        yield hmac.new(seed, i.to_bytes(4, "big"), hashlib.sha256).digest()


def shown_count(true: int, n: int, blocks) -> int:  # noqa: ANN001
    """The count shown for ``true``: the ptable's inverse distribution at the cell key (exact)."""
    if n == 0:
        return 0
    numerator, bits = 0, 0
    for block in blocks:
        numerator = (numerator << _BLOCK_BITS) | int.from_bytes(block, "big")
        bits += _BLOCK_BITS
        low, high = Fraction(numerator, 1 << bits), Fraction(numerator + 1, 1 << bits)
        cumulative = Fraction(0)
        for shown in range(n + 1):
            cumulative += probability(shown, true, n)
            if low < cumulative:
                if high <= cumulative or shown == n:
                    return shown
                break  # the key's interval straddles a boundary: read more of it
    return shown


def perturb(secret: bytes, row: str, level: str | None, members: list[str], row_councils: list[str]) -> int:
    """The published count of one cell: its true count (``len(members)``) with cell-key noise."""
    return shown_count(len(members), len(row_councils), _cell_blocks(secret, row, level, members, row_councils))


def derived_secret(results: list[bytes]) -> bytes:
    """Without a key file, the secret is worked out from every byte of every result compared."""
    digest = hashlib.sha256(b"efl-across-secret\0")
    for data in sorted(results):
        digest.update(hashlib.sha256(data).digest())
    return digest.digest()


def read_secret(path: Path) -> bytes:
    """A noise key file: at least 16 bytes, kept by whoever publishes the tables (exit 2 otherwise)."""
    from efl.files.safe_files import FileProblem, as_diagnostic, read_named_file

    try:
        data = read_named_file(path, 1 << 20)
    except FileProblem as problem:
        raise InputError(as_diagnostic(str(path), problem)) from None
    secret = data.strip()
    if len(secret) < MIN_KEY_BYTES:
        raise InputError(Diagnostic(str(path), message=f"holds {len(secret)} bytes (expected a secret of at "
                                    f"least {MIN_KEY_BYTES} bytes; make one with 'efl key noise FILE')"))
    return secret


def method_words(min_group: int, keyed: bool) -> str:
    """The method and its parameters in words, printed with every table (no cell says why it shows
    what it shows: every cell is treated the same way)."""
    stay = (1 - RATIO) / (1 + RATIO)
    one_off = 2 * stay * RATIO
    band = (f" A perturbed count from 1 to {min_group - 1} is shown as 'fewer than {min_group}'." if min_group > 2
            else " A perturbed count of 1 is shown as 'fewer than 2'." if min_group == 2 else "")
    secret = ("a secret key file kept by whoever publishes the tables" if keyed else
              "every byte of the results compared, so only someone holding all of them could work out the noise")
    return (
        "Disclosure control: every count is perturbed with the cell-key method the Office for National "
        "Statistics used for Census 2021 outputs. Each council has a record key made from a secret; the noise "
        "on a count is set by the record keys of the councils it counts and of every council in its row, so "
        "the same councils with the same levels always give the same figures, and a table of other councils "
        f"is perturbed afresh. The noise follows a two-sided geometric distribution with ratio {RATIO}: a "
        f"count is shown as it is {_odds(stay)}, one more or one fewer {_odds(one_off)}, and further off "
        f"otherwise. Any count from 0 to the row's number of councils can be shown whatever the true count, "
        f"so no count can be worked out exactly, from this table, from other tables, or with a council's own "
        f"published result.{band} The number of councils in each row is exact; the counts are not, so they "
        f"may not add up to it. No council is named. The secret comes from {secret}.")


def _odds(p: Fraction) -> str:
    """A probability as people say it: "2 times in 3"."""
    return f"{p.numerator} {'time' if p.numerator == 1 else 'times'} in {p.denominator}"


def exact_method_words() -> str:
    return ("These counts are exact: this table names every council, so it is for the councils themselves and "
            "not for publication; no disclosure control is applied.")
