"""Date clauses as rules: one function per rule type of the ``date-rule`` vocabulary.

A treaty's entry-into-force, denunciation and membership clauses are data in the graph
(rule, period, what the period counts from). :func:`apply_rule` turns the date counted from
into the date the act takes effect. Calendar months are added with ``dateutil`` and clamp to
the end of a shorter month (31 January + 1 month = 28/29 February), which is how the UN and
Council of Europe depositaries count.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from treatykg.dates import DateBounds
from treatykg.errors import InputError

ON_DATE = "on-date"
PERIOD_AFTER = "period-after"
FIRST_DAY_OF_MONTH_AFTER_PERIOD = "first-day-of-month-after-period"
FIRST_DAY_OF_YEAR_AFTER_PERIOD = "first-day-of-year-after-period"
RULES = (ON_DATE, PERIOD_AFTER, FIRST_DAY_OF_MONTH_AFTER_PERIOD, FIRST_DAY_OF_YEAR_AFTER_PERIOD)

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def parse_duration(text: str, *, where: str = "period") -> relativedelta:
    """``P1Y``, ``P6M``, ``P30D``, ``P1Y6M`` -> relativedelta (date-only durations)."""
    m = _DURATION.match(str(text).strip())
    if not m or not any(m.groups()):
        raise InputError(f"{where}: {text!r} is not a date duration such as P3M or P30D")
    y, mo, w, d = (int(g) if g else 0 for g in m.groups())
    return relativedelta(years=y, months=mo, weeks=w, days=d)


@dataclass(frozen=True)
class Clause:
    """A date clause read from the graph."""

    iri: str
    kind: str  # "entry-into-force" | "denunciation" | "membership"
    rule: str  # one of RULES
    period: str | None = None  # xsd:duration text
    counts_from: str | None = None
    provision: str | None = None
    provision_label: str | None = None
    organization: str | None = None
    obligations_survive: bool = False
    minimum_party_period: str | None = None

    def describe(self) -> str:
        where = f" ({self.provision_label})" if self.provision_label else ""
        if self.rule == ON_DATE:
            return f"takes effect on the date{where}"
        if self.rule == PERIOD_AFTER:
            return f"takes effect {self.period} after the date{where}"
        if self.rule == FIRST_DAY_OF_YEAR_AFTER_PERIOD:
            return f"first day of the year after {self.period} from the date{where}"
        return f"first day of the month after {self.period} from the date{where}"


def apply_rule(rule: str, period: str | None, start: _dt.date) -> _dt.date:
    """The date an act takes effect, given the date its period counts from."""
    if rule == ON_DATE:
        return start
    if period is None:
        raise InputError(f"rule {rule!r} needs a period")
    delta = parse_duration(period)
    if rule == PERIOD_AFTER:
        return start + delta
    if rule == FIRST_DAY_OF_MONTH_AFTER_PERIOD:
        expiry = start + delta
        return (expiry.replace(day=1) + relativedelta(months=1))
    if rule == FIRST_DAY_OF_YEAR_AFTER_PERIOD:
        expiry = start + delta
        return _dt.date(expiry.year + 1, 1, 1)
    raise InputError(f"unknown date rule {rule!r} (known: {', '.join(RULES)})")


def apply_clause(clause: Clause, start: DateBounds, longer_period: str | None = None) -> DateBounds:
    """Apply a clause to a possibly uncertain start date. Every rule is monotone, so the
    bounds of the result are the rule applied to the bounds."""
    period = longer_period or clause.period
    return start.map(lambda d: apply_rule(clause.rule, period, d))
