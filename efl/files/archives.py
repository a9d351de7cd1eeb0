"""Zip archives from outside (workbooks, Word files, evidence packs), opened with limits.

A .xlsx or .docx file is a zip of XML parts, and a zip can lie: a 3 MB member that inflates to
3 GB, ten thousand tiny members, two members with one name (a reader picks one, a checker the
other), an XML part that declares entities ("billion laughs") or fetches an outside file. Every
archive efl reads from a folder goes through :func:`open_archive` first:

* members are counted, names must be unique, and declared sizes are added up before anything is
  inflated: the whole must fit the file size limit (``EFL_MAX_FILE_MB``), and a large member may
  not inflate more than :data:`MAX_RATIO` times its packed size;
* :meth:`Archive.read` inflates one member in chunks and stops at its limit, whatever the member's
  header says, so a lying header costs nothing;
* :meth:`Archive.check_xml` refuses any XML part with a document type declaration (``<!DOCTYPE``),
  which is where entities (internal, external, parameter) are declared, reading each part with
  defusedxml only as far as its first element: a declaration can only come before it.

Problems are :class:`ArchiveProblem` (words that follow the file's name); callers turn them into a
diagnostic naming the file (exit code 2).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_MEMBERS = 10_000
MAX_RATIO = 200  # members larger than RATIO_FROM bytes may inflate at most this many times
RATIO_FROM = 1 << 20
_CHUNK = 1 << 16
XML_ENDINGS = (".xml", ".rels", ".vml")


class ArchiveProblem(Exception):
    """Why an archive cannot be read: words that follow the file's name ("the workbook has ...")."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Archive:
    """An opened archive whose directory passed the limits (see the module's docstring)."""

    zip: zipfile.ZipFile
    limit: int
    what: str = "file"

    def names(self) -> list[str]:
        return [info.filename for info in self.zip.infolist()]

    def read(self, name: str, limit: int | None = None) -> bytes:
        """One member, inflated in chunks and refused past ``limit`` (default: the archive's)."""
        limit = self.limit if limit is None else limit
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise ArchiveProblem(f"the {self.what} has no part '{name}' (expected a complete file)") from None
        out, total = [], 0
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise ArchiveProblem(f"the {self.what} has a part '{name}' that inflates to more than {limit:,} bytes "
                                             "(expected a smaller file, or set EFL_MAX_FILE_MB)")
                    out.append(chunk)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as exc:
            raise ArchiveProblem(f"the {self.what} has a damaged part '{name}' ({exc}; expected a file saved by the program "
                                 "that made it)") from None
        return b"".join(out)

    def check_xml(self) -> None:
        """Refuse any XML part that declares a document type (DTDs, entities, external references)."""
        from efl.files.optional import need

        defused = need("defusedxml.ElementTree", "xlsx")
        errors = need("defusedxml", "xlsx")
        for info in self.zip.infolist():
            if info.is_dir() or not (info.filename.lower().endswith(XML_ENDINGS) or self._looks_like_xml(info)):
                continue
            data = self.read(info.filename)
            try:
                for _event, _element in defused.iterparse(io.BytesIO(data), events=("start",), forbid_dtd=True,
                                                          forbid_entities=True, forbid_external=True):
                    break  # a declaration can only come before the first element
            except errors.DefusedXmlException:
                raise ArchiveProblem(f"the {self.what} has a part '{info.filename}' whose XML declares a document type or "
                                     "entities (<!DOCTYPE ...>), which efl never reads: they can make a file expand "
                                     "without end or pull in other files (expected a file saved by Excel, "
                                     "LibreOffice or efl, which declare none)") from None
            except Exception as exc:  # noqa: BLE001 - a parser error of any kind is a damaged part
                raise ArchiveProblem(f"the {self.what} has a part '{info.filename}' that is not well-formed XML ({exc}; "
                                     "expected a file saved by Excel, LibreOffice or efl)") from None

    def _looks_like_xml(self, info: zipfile.ZipInfo) -> bool:
        head = self.read(info.filename, 64) if info.file_size <= 64 else self._head(info)
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")

    def _head(self, info: zipfile.ZipInfo) -> bytes:
        try:
            with self.zip.open(info) as member:
                return member.read(64)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as exc:
            raise ArchiveProblem(f"the {self.what} has a damaged part '{info.filename}' ({exc}; expected a file saved by the "
                                 "program that made it)") from None


def open_archive(data: bytes, limit: int, what: str = "file") -> Archive:
    """Open ``data`` as a zip and check its directory (see the module's docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise ArchiveProblem(f"not a readable {what} ({exc}; expected a file saved by the program that "
                             "made it)") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveProblem(f"the {what} has {len(infos):,} parts, more than {MAX_MEMBERS:,} (expected a smaller {what})")
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise ArchiveProblem(f"the {what} has two parts named '{info.filename}' (expected each part once; a reader could "
                                 "take either)")
        seen.add(info.filename)
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise ArchiveProblem(f"the {what} unpacks to {total:,} bytes, over the limit of {limit:,} (expected a smaller {what}, "
                             "or set EFL_MAX_FILE_MB)")
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveProblem(f"the {what} has a part '{info.filename}' that inflates "
                                 f"{info.file_size // max(info.compress_size, 1):,} times, to {info.file_size:,} "
                                 f"bytes (expected at most {MAX_RATIO} times; an archive made to exhaust memory?)")
    return Archive(archive, limit, what)
