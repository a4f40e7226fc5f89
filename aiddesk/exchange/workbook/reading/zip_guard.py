"""Step 3 of reading a workbook: its zip package, opened with suspicion (docs/exchange-format.md, "Hostile
and broken input").

The limits a zip bomb breaks are checked on the zip's directory before anything is unpacked;
each part is then streamed through zlib in small steps with its real size and checksum held to
what the directory declares. The XML of every streamed part is checked for a DTD or entity
declaration and for text encodings whose bytes would hide markup from the byte scans of the
later steps."""

from __future__ import annotations

import io
import os
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aiddesk.exchange.workbook.reading.refusals import (
    damaged,
    holds_more_than_declared,
    incomplete,
    overlapping_parts,
    packed_too_tightly,
    too_big_inside,
    too_many_parts,
    unusual,
    xml_tricks,
)
from aiddesk.store.foreground import give_way

MIB = 1024 * 1024
MAX_PARTS = 10_000
MAX_PART_BYTES = 512 * MIB
MAX_TOTAL_BYTES = 2048 * MIB
MAX_RATIO = 200  # unpacked : packed, for parts of at least RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1 * MIB
READ_STEP = 256 * 1024  # packed bytes fed to zlib at a time
INFLATE_STEP = 2 * MIB  # the most one zlib step may unpack
MAX_TAG_CARRY = 8 * MIB  # a window is cut before its last "<" unless no "<" came for this long

LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
LOCAL_MAGIC = b"PK\x03\x04"
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
DTD_PATTERN = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
WIDE_TEXT_STARTS = (b"\xff\xfe", b"\xfe\xff")
XML_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
SAFE_ENCODINGS = (b"utf-8", b"utf8", b"us-ascii", b"ascii")


class PackageBytes:
    """The bytes of a zip package held in memory (a locked workbook, unlocked)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = len(data)

    def read_at(self, offset: int, length: int) -> bytes:
        return self.data[offset : offset + length]

    def file(self) -> BinaryIO:
        return io.BytesIO(self.data)

    def same(self) -> bool:
        return True


class PackageFile:
    """The zip package of a workbook read in place from its open file, so a big workbook is never
    held whole in memory. What is checked is what is read: `same()` says whether the file at the
    path is still the one opened, unchanged (a sync tool that replaces or rewrites it meanwhile
    makes the reading stop as incomplete)."""

    def __init__(self, file: BinaryIO, path: Path) -> None:
        self._file = file
        self.path = path
        self._lock = threading.Lock()  # the sheet scans read beside the main thread
        self.identity = _identity(os.fstat(file.fileno()))
        self.size = self.identity[2]

    def read_at(self, offset: int, length: int) -> bytes:
        with self._lock:
            self._file.seek(offset)
            return self._file.read(length)

    def file(self) -> BinaryIO:
        """The open file, from its start."""
        self._file.seek(0)
        return self._file

    def calamine_path(self) -> str | None:
        """A name calamine can open the same file by: on Linux the open file itself (whatever
        happens at its path meanwhile); else its path, when calamine can take it (a name that is
        not UTF-8, from a USB stick written elsewhere, cannot: the file is then read into memory)."""
        own = f"/proc/self/fd/{self._file.fileno()}"
        if os.path.exists(own):
            return own
        try:
            os.fsencode(self.path).decode("utf-8")
        except UnicodeDecodeError:
            return None
        return str(self.path)

    def same(self) -> bool:
        """Whether the path still names the file opened, and neither changed since."""
        try:
            now = _identity(os.fstat(self._file.fileno()))
            at_path = _identity(os.stat(self.path))
        except (OSError, ValueError):
            return False
        return now == self.identity == at_path

    def close(self) -> None:
        self._file.close()


class PackageMemory(PackageFile):
    """The package of a locked workbook, unlocked into anonymous memory (never a file on disk):
    held once, and read by calamine in place like a file, not copied again. It lasts as long as
    the workbook is read again (`close()` gives it back)."""

    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file, Path(f"/proc/self/fd/{file.fileno()}"))

    def calamine_path(self) -> str | None:
        return str(self.path)

    def same(self) -> bool:
        return True


def anonymous_memory() -> BinaryIO | None:
    """A file in memory that calamine can open by name (Linux's memfd); None elsewhere."""
    if not hasattr(os, "memfd_create") or not os.path.isdir("/proc/self/fd"):
        return None
    fd = os.memfd_create("aiddesk-workbook", getattr(os, "MFD_CLOEXEC", 0))
    return os.fdopen(fd, "w+b")


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass
class ZipPackage:
    """The checked zip directory of a workbook; parts are unpacked on demand."""

    label: str
    data: PackageBytes | PackageFile
    parts: dict[str, zipfile.ZipInfo]

    def stream(self, name: str) -> Iterator[bytes]:
        """The part's bytes, unpacked a step at a time and held to its declared size and checksum."""
        return _inflate(self, self.parts[name])

    def windows(self, name: str) -> Iterator[bytes]:
        """The part's bytes in pieces that never cut an XML tag's start from its name."""
        return tag_windows(self.stream(name))

    def read(self, name: str) -> bytes:
        return b"".join(self.stream(name))

    def check_part(self, name: str, *, xml: bool) -> None:
        """Stream a part whole: sizes and checksum, no DTD or entity declaration, and for XML
        parts a text encoding that byte scans can read."""
        windows = xml_windows(self, name) if xml else _dtd_checked(self.windows(name), self.label)
        for _window in windows:
            pass


def open_package(data: bytes | PackageBytes | PackageFile, label: str) -> ZipPackage:
    """The zip directory of `data`, refused before anything is unpacked when it breaks a limit."""
    if isinstance(data, bytes):
        data = PackageBytes(data)
    try:
        with zipfile.ZipFile(data.file()) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise incomplete(label) from exc
    except Exception as exc:  # a directory zipfile cannot make sense of (bad sizes, names, zip64 fields)
        raise damaged(label) from exc
    check_directory(infos, label)
    return ZipPackage(label=label, data=data, parts={info.filename: info for info in infos})


def check_directory(infos: list[zipfile.ZipInfo], label: str) -> None:
    """Part count, declared sizes, packing ratios, repeated or overlapping parts, unknown packing."""
    if len(infos) > MAX_PARTS:
        raise too_many_parts(label)
    total = 0
    for info in infos:
        _check_declared_part(info, label)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise too_big_inside(label)
    _check_layout(infos, label)


def _check_declared_part(info: zipfile.ZipInfo, label: str) -> None:
    if info.file_size > MAX_PART_BYTES:
        raise too_big_inside(label)
    if info.file_size >= RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise packed_too_tightly(label)
    if info.flag_bits & ENCRYPTED_FLAG or info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    ):
        raise unusual(label)
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise damaged(label)


def _check_layout(infos: list[zipfile.ZipInfo], label: str) -> None:
    if len({info.filename for info in infos}) != len(infos):
        raise overlapping_parts(label)
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for first, second in zip(ordered, ordered[1:], strict=False):
        least_end = first.header_offset + LOCAL_HEADER.size + len(first.filename) + first.compress_size
        if second.header_offset < least_end:
            raise overlapping_parts(label)


def _data_span(package: ZipPackage, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where the part's packed bytes start and end, after its local header is checked."""
    header = package.data.read_at(info.header_offset, LOCAL_HEADER.size) if info.header_offset >= 0 else b""
    if len(header) < LOCAL_HEADER.size:
        raise incomplete(package.label)
    fields = LOCAL_HEADER.unpack(header)
    if fields[0] != LOCAL_MAGIC:
        raise damaged(package.label)
    name_length, extra_length = fields[-2], fields[-1]
    name_start = info.header_offset + LOCAL_HEADER.size
    if _local_name(package.data.read_at(name_start, name_length), info) != info.orig_filename:
        raise overlapping_parts(package.label)
    start = name_start + name_length + extra_length
    end = start + info.compress_size
    if end > package.data.size:
        raise incomplete(package.label)
    return start, end


def _local_name(raw: bytes, info: zipfile.ZipInfo) -> str:
    return raw.decode("utf-8" if info.flag_bits & UTF8_FLAG else "cp437", errors="replace")


def _inflate(package: ZipPackage, info: zipfile.ZipInfo) -> Iterator[bytes]:
    start, end = _data_span(package, info)
    data = package.data
    if info.compress_type == zipfile.ZIP_STORED:
        chunks: Iterator[bytes] = (
            data.read_at(at, min(INFLATE_STEP, end - at)) for at in range(start, end, INFLATE_STEP)
        )
        yield from _checked(chunks, info, package.label, finished=lambda: True)
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    yield from _checked(
        _inflate_steps(inflater, data, start, end, package.label), info, package.label, lambda: inflater.eof
    )


def _inflate_steps(
    inflater, data: PackageBytes | PackageFile, start: int, end: int, label: str
) -> Iterator[bytes]:
    try:
        for at in range(start, end, READ_STEP):
            give_way()  # a background pass lets a save go first (store/foreground.py)
            piece: bytes = data.read_at(at, min(READ_STEP, end - at))
            if not piece:
                raise incomplete(label)
            while piece and not inflater.eof:
                out = inflater.decompress(piece, INFLATE_STEP)
                piece = inflater.unconsumed_tail
                if out:
                    yield out
    except zlib.error as exc:
        raise damaged(label) from exc


def _checked(chunks: Iterable[bytes], info: zipfile.ZipInfo, label: str, finished) -> Iterator[bytes]:
    """Pass the unpacked bytes on while they stay within the declared size; then compare size and CRC."""
    size = 0
    crc = 0
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise holds_more_than_declared(label)
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if size != info.file_size or crc != info.CRC or not finished():
        raise damaged(label)


def tag_windows(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Re-cut a byte stream just before its last "<" so that every tag starts and ends in one window."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"<")
        if cut <= 0:
            if len(data) < MAX_TAG_CARRY:
                carry = data
                continue
            cut = len(data)
        yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


def xml_windows(package: ZipPackage, name: str, *, dtd: bool = True) -> Iterator[bytes]:
    """The windows of an XML part, refused when its text encoding could hide markup from byte scans
    or (with `dtd`) when it holds a DTD or entity declaration."""
    first = True
    for window in package.windows(name):
        if first:
            check_declared_encoding(window, package.label)
            first = False
        if b"\x00" in window:  # never in XML 1.0 text; the mark of UTF-16 or UTF-32
            raise unusual(package.label)
        if dtd:
            refuse_dtd(window, package.label)
        yield window


def _dtd_checked(windows: Iterable[bytes], label: str) -> Iterator[bytes]:
    for window in windows:
        refuse_dtd(window, label)
        yield window


def check_declared_encoding(start: bytes, label: str) -> None:
    """Excel writes UTF-8. A byte-order mark or declaration of another encoding could make the
    parser read markup that these byte scans cannot see."""
    if start.startswith(WIDE_TEXT_STARTS):
        raise unusual(label)
    declaration = XML_DECLARATION.match(start)
    if declaration and declaration[1].lower() not in SAFE_ENCODINGS:
        raise unusual(label)


def refuse_dtd(window: bytes, label: str) -> None:
    if b"!" in window and DTD_PATTERN.search(window):  # memchr for "!" first: it is rare in sheets
        raise xml_tricks(label)
