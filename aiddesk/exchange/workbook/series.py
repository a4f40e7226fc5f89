"""The names and `_meta` keys of a desk's series of files in the exchange folder.

A snapshot is `<CODE>-<desk>.s<to>.aiddesk.xlsx`, a delta `<CODE>-<desk>.d<from>-<to>.aiddesk.xlsx`
(the desk code, the 32 hex digits of its desk id, the counters it covers). The whole desk id, not
a part of it: a desk removes its own older files, and must never take another desk's for its own. The name is only
a hint for choosing what to read: `_meta` says what the file really covers (`series.*`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiddesk.domain.exchange_series import DELTA, SNAPSHOT, SeriesFile

SUFFIX = ".aiddesk.xlsx"
MARK = ".aiddesk"  # kept by sync tools' conflict copies: "X.aiddesk.sync-conflict-….xlsx"

KIND = "series.kind"
FROM = "series.from"
TO = "series.to"
PREVIOUS = "series.previous"
WAITING = "series.waiting"  # desk ids whose files this desk waits for (a gap): they write a snapshot

_NAME = re.compile(
    r"^(?P<code>.+)-(?P<frag>[0-9a-f]{32})\.(?:s(?P<sto>\d{1,16})|d(?P<dfrom>\d{1,16})-(?P<dto>\d{1,16}))"
    + re.escape(SUFFIX)
    + "$"
)
_WHOLE = re.compile(r"^(?P<code>.+)-(?P<frag>[0-9a-f]{8})" + re.escape(SUFFIX) + "$")


def fragment(desk_id: str) -> str:
    """A desk id as series file names hold it: its 32 hex digits."""
    return desk_id.replace("-", "").lower()


def file_name(code: str, desk_id: str, kind: str, start: int, to: int) -> str:
    head = f"{code}-{fragment(desk_id)}"
    if kind == SNAPSHOT:
        return f"{head}.s{to}{SUFFIX}"
    return f"{head}.d{start}-{to}{SUFFIX}"


def whole_file_name(code: str, desk_id: str) -> str:
    """The one file a desk wrote before series (and what older AidDesks still write): the desk
    code and the first 8 hex digits of its desk id."""
    return f"{code}-{fragment(desk_id)[:8]}{SUFFIX}"


@dataclass(frozen=True)
class Named:
    """What a file's name says: the desk (fragment of its id) and, for a series file, what it covers."""

    code: str
    frag: str  # the desk id's 32 hex digits (a whole-desk file: its first 8)
    part: SeriesFile | None  # None: a whole-desk file of an older AidDesk


def parse_name(name: str) -> Named | None:
    """A series file or an older whole-desk file, by name; None for any other name (a sync
    tool's conflict copy, a file renamed by hand), which is merged whole when it changes."""
    found = _NAME.match(name)
    if found is not None:
        if found["sto"] is not None:
            return Named(found["code"], found["frag"], SeriesFile(int(found["sto"]), 0, SNAPSHOT, name))
        start, to = int(found["dfrom"]), int(found["dto"])
        if start >= to:
            return None
        return Named(found["code"], found["frag"], SeriesFile(to, start, DELTA, name))
    whole = _WHOLE.match(name)
    if whole is not None:
        return Named(whole["code"], whole["frag"], None)
    return None


def is_exchange_file(name: str) -> bool:
    """A file of the folder to look at: an AidDesk exchange file, or a sync tool's conflict copy of
    one (Syncthing `X.aiddesk.sync-conflict-….xlsx`, Nextcloud `X.aiddesk (conflicted copy …).xlsx`);
    never a temporary or lock file (".name", "~$name", "~syncthing~name")."""
    lower = name.lower()
    return not name.startswith((".", "~")) and lower.endswith(".xlsx") and MARK in lower


def meta_part(meta: dict[str, str], name: str) -> SeriesFile | None:
    """What `_meta` says the file covers, or None when it is no series file (a full export, an
    older desk's file) or says something unreadable."""
    kind, start, to = meta.get(KIND, ""), meta.get(FROM, ""), meta.get(TO, "")
    if kind not in (SNAPSHOT, DELTA) or not (start.isascii() and start.isdigit()):
        return None
    if not (to.isascii() and to.isdigit()) or len(start) > 16 or len(to) > 16:
        return None
    if kind == DELTA and int(start) >= int(to):
        return None
    return SeriesFile(int(to), 0 if kind == SNAPSHOT else int(start), kind, name)
