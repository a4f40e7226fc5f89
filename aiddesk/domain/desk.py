"""What a desk is, as the rest of the app sees it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeskInfo:
    desk_id: str
    code: str
    name: str
    phone_region: str
    language: str
