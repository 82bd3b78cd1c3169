"""Each date rule against effective dates that depositaries or organs published."""

import datetime as dt

import pytest

from treatykg.dates import DateBounds
from treatykg.errors import InputError
from treatykg.rules import (FIRST_DAY_OF_MONTH_AFTER_PERIOD, ON_DATE, PERIOD_AFTER, Clause,
                            apply_clause, apply_rule, parse_duration)

D = dt.date.fromisoformat

PUBLISHED = [
    # (rule, period, counted from, published effective date, where it was published)
    (PERIOD_AFTER, "P3M", "2022-11-08", "2023-02-08", "UNTC IV-5 end note: Belarus denunciation of ICCPR-OP1"),
    (PERIOD_AFTER, "P3M", "1998-05-26", "1998-08-26", "UNTC IV-5 end note: Trinidad and Tobago, first denunciation"),
    (PERIOD_AFTER, "P3M", "2000-03-27", "2000-06-27", "UNTC IV-5 end note: Trinidad and Tobago, second denunciation"),
    (PERIOD_AFTER, "P3M", "1999-01-05", "1999-04-05", "UNTC IV-5 end note: Guyana denunciation"),
    (PERIOD_AFTER, "P6M", "2022-03-16", "2022-09-16", "CM/Res(2022)3: ECHR Art. 58(3) after loss of CoE membership"),
    (PERIOD_AFTER, "P6M", "1954-05-10", "1954-11-10", "Geneva Convention II in force for the USSR six months after deposit"),
    (FIRST_DAY_OF_MONTH_AFTER_PERIOD, "P3M", "1998-05-05", "1998-09-01", "ETS 126 Art. 19(2): in force for Russia 1 Sept 1998"),
    (FIRST_DAY_OF_MONTH_AFTER_PERIOD, "P12M", "2025-09-29", "2026-10-01", "ETS 126 Art. 22(2): receipt on 29 Sept 2025"),
    (FIRST_DAY_OF_MONTH_AFTER_PERIOD, "P12M", "2025-10-15", "2026-11-01", "ETS 126 Art. 22(2): receipt in October 2025"),
    (FIRST_DAY_OF_MONTH_AFTER_PERIOD, "P6M", "2024-01-31", "2024-08-01", "FCNM Art. 31(2): Russia no longer bound from 1 Aug 2024"),
    (ON_DATE, None, "1998-05-05", "1998-05-05", "ECHR Art. 59(3): in force on deposit"),
]


@pytest.mark.parametrize("rule,period,start,published,where", PUBLISHED, ids=[p[4] for p in PUBLISHED])
def test_rule_reproduces_published_date(rule, period, start, published, where):
    assert apply_rule(rule, period, D(start)) == D(published)


def test_month_arithmetic_clamps_to_month_end():
    assert apply_rule(PERIOD_AFTER, "P1M", D("2023-01-31")) == D("2023-02-28")
    assert apply_rule(PERIOD_AFTER, "P30D", D("2023-01-31")) == D("2023-03-02")
    # expiry on the last day of a month still moves to the first of the next
    assert apply_rule(FIRST_DAY_OF_MONTH_AFTER_PERIOD, "P3M", D("2023-11-30")) == D("2024-03-01")


def test_bounds_follow_the_rule():
    clause = Clause("c", "denunciation", FIRST_DAY_OF_MONTH_AFTER_PERIOD, "P12M")
    b = apply_clause(clause, DateBounds(D("2025-09-29"), None))
    assert b == DateBounds(D("2026-10-01"), None)
    b = apply_clause(clause, DateBounds(D("2025-09-29"), D("2025-10-31")))
    assert (b.earliest, b.latest, b.certain) == (D("2026-10-01"), D("2026-11-01"), False)


def test_longer_notice_period_overrides_clause():
    clause = Clause("c", "denunciation", PERIOD_AFTER, "P12M")
    assert apply_clause(clause, DateBounds.exact(D("2020-01-01")), "P18M").value == D("2021-07-01")


@pytest.mark.parametrize("bad", ["3M", "P", "PT5H", "P1.5Y", ""])
def test_bad_durations_name_the_value(bad):
    with pytest.raises(InputError, match="duration"):
        parse_duration(bad)


def test_unknown_rule_is_an_input_error():
    with pytest.raises(InputError, match="unknown date rule"):
        apply_rule("on-full-moon", "P1M", D("2020-01-01"))


@pytest.mark.parametrize("notified,effective", [
    ("2022-03-15", "2023-01-01"),  # notified in the first nine months: end of that year
    ("2022-09-30", "2023-01-01"),
    ("2022-10-01", "2024-01-01"),  # in the last three months: end of the next year
    ("2022-12-31", "2024-01-01"),
])
def test_statute_article_7_withdrawal_is_first_day_of_year_after_three_months(notified, effective):
    from treatykg.rules import FIRST_DAY_OF_YEAR_AFTER_PERIOD

    assert apply_rule(FIRST_DAY_OF_YEAR_AFTER_PERIOD, "P3M", D(notified)) == D(effective)
