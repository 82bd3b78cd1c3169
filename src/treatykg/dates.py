"""Dates that may be known only in part.

A :class:`DateBounds` is what the graph knows of one date: an exact day, or an earliest
and/or latest possible day. Nothing here ever invents a day.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from treatykg.errors import InputError

Date = _dt.date


def parse_date(text: str, *, what: str = "date") -> Date:
    """Parse ``YYYY-MM-DD`` strictly; the error names ``what`` (a parameter or a place)."""
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise InputError(f"{what}: {text!r} is not a date of the form YYYY-MM-DD")
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"{what}: {text!r} is not a valid date ({exc})") from None


@dataclass(frozen=True)
class DateBounds:
    """What is known of a date: ``earliest <= true date <= latest``; ``None`` means unbounded."""

    earliest: Date | None
    latest: Date | None

    @classmethod
    def exact(cls, d: Date) -> "DateBounds":
        return cls(d, d)

    @classmethod
    def unknown(cls) -> "DateBounds":
        return cls(None, None)

    @property
    def certain(self) -> bool:
        return self.earliest is not None and self.earliest == self.latest

    @property
    def value(self) -> Date | None:
        return self.earliest if self.certain else None

    @property
    def known(self) -> bool:
        return self.earliest is not None or self.latest is not None

    def map(self, fn) -> "DateBounds":
        """Apply a monotone (non-decreasing) function to both bounds."""
        return DateBounds(
            fn(self.earliest) if self.earliest is not None else None,
            fn(self.latest) if self.latest is not None else None,
        )

    def __str__(self) -> str:
        if self.certain:
            return self.earliest.isoformat()
        lo = self.earliest.isoformat() if self.earliest else "?"
        hi = self.latest.isoformat() if self.latest else "?"
        return f"between {lo} and {hi}" if self.earliest or self.latest else "unknown"


def later(a: Date | None, b: Date | None) -> Date | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def bounds_max(a: DateBounds, b: DateBounds) -> DateBounds:
    """Bounds of max(x, y) for x in a, y in b (an unbounded latest stays unbounded)."""
    lo = later(a.earliest, b.earliest)
    hi = None if a.latest is None or b.latest is None else max(a.latest, b.latest)
    return DateBounds(lo, hi)


def bounds_min(a: DateBounds, b: DateBounds) -> DateBounds:
    """Bounds of min(x, y); an unbounded side does not lower the minimum."""
    if a.earliest is None or b.earliest is None:
        lo = None
    else:
        lo = min(a.earliest, b.earliest)
    if a.latest is None:
        hi = b.latest
    elif b.latest is None:
        hi = a.latest
    else:
        hi = min(a.latest, b.latest)
    return DateBounds(lo, hi)
