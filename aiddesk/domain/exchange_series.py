"""A desk's series of exchange files, as a reader sees it: which files to read, in which order,
and which wait for a gap (docs/exchange-format.md, "The series of files").

Each desk writes snapshots (everything it holds; its own edits up to counter `to`) and, between
them, deltas (the records it changed itself in the counter range `from` < c <= `to`). A reader
keeps, per writing desk, `have`: the counter up to which it has merged that desk's own edits
without a gap. A delta is read when it continues from `have`; a snapshot when it reaches past
`have` and no chain of deltas does; a delta past a gap waits (for the missing file, or for the
desk's next snapshot). Nothing is ever guessed: `have` only moves over files really merged."""

from __future__ import annotations

from dataclasses import dataclass

SNAPSHOT = "snapshot"
DELTA = "delta"


@dataclass(frozen=True, order=True)
class SeriesFile:
    """One file of a desk's series, as its name (then its `_meta`) says."""

    to: int  # the desk's own edits it covers go up to this counter
    start: int  # ... and start after this one (0 for a snapshot)
    kind: str  # SNAPSHOT or DELTA
    name: str

    @property
    def snapshot(self) -> bool:
        return self.kind == SNAPSHOT


@dataclass(frozen=True)
class SeriesPlan:
    read: list[SeriesFile]  # in this order, each continuing from the one before
    covered: list[SeriesFile]  # nothing new for this reader: not read
    waiting: list[SeriesFile]  # past a gap: wait for the missing file or the next snapshot


def reaches(have: int, file: SeriesFile) -> bool:
    """Whether merging `file` moves a reader that holds everything up to `have` on, gap-free."""
    if file.to <= have:
        return False
    return file.snapshot or file.start <= have


def plan(have: int, files: list[SeriesFile]) -> SeriesPlan:
    """Which of one desk's files a reader that has everything up to `have` reads, in order.

    Deltas that continue the chain are preferred (they are small); a snapshot is read when it
    reaches further than the chain of deltas can from here, then the deltas after it."""
    pending = sorted(set(files))
    read: list[SeriesFile] = []
    while True:
        deltas = [f for f in pending if not f.snapshot and reaches(have, f)]
        chain_end = _chain_end(have, pending)
        snapshots = [f for f in pending if f.snapshot and f.to > chain_end]
        if snapshots:
            best = max(snapshots, key=lambda f: (f.to, f.name))
        elif deltas:
            best = max(deltas, key=lambda f: (f.to, -f.start, f.name))
        else:
            break
        read.append(best)
        have = best.to
        pending = [f for f in pending if f is not best]
    covered = [f for f in pending if f.to <= have]
    waiting = [f for f in pending if f.to > have]
    return SeriesPlan(read, covered, waiting)


def _chain_end(have: int, files: list[SeriesFile]) -> int:
    """How far the deltas alone carry a reader that has everything up to `have`."""
    end = have
    moved = True
    while moved:
        moved = False
        for f in files:
            if not f.snapshot and f.start <= end < f.to:
                end = f.to
                moved = True
    return end
