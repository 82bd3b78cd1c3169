"""`treatykg oversight` agrees with each State's own declarations, for every State (issue 3).

For every State that is or was party to a treaty establishing an oversight procedure, and on
several dates, the procedures the ``oversight-matrix`` query reports as binding (one query per
date answers for every State at once) are recomputed here from the acts themselves, by the
plain reading of each acceptance mode:

* automatic: bound while the State is a party;
* opt-in (CAT Art. 21 and 22, ICCPR Art. 41, ...): bound while a party *and* a declaration
  accepting the procedure has taken effect and has not been withdrawn;
* opt-out (CAT Art. 20 with Art. 28, ...): bound while a party unless a reservation excluding the
  procedure is in force.

Whether the State is a party on the date is read from the derived party spans (those are
checked against the depositary's printed counts in test_import_untc_html.py); everything about
procedures is read from the acts. Pairs whose answer is uncertain on the date (a partial date
of a declaration or of the start or end of participation) are left out on both sides.

:func:`treatykg.oversight.oversight` (the function behind ``treatykg oversight``, one State at
a time) is checked against the matrix for a sample of States, so the command is covered too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from treatykg import queries
from treatykg.oversight import oversight

DATES = [dt.date(2005, 6, 30), dt.date(2026, 1, 1)]
BOUND = {"bound", "bound, denunciation pending", "bound, end pending"}
# the strongest first, as the matrix ranks the spans covering a date
STATUSES = ["bound, denunciation pending", "bound, end pending", "bound", "uncertain", "surviving obligations"]
CAT22 = "https://w3id.org/treatykg/id/procedure/untc-IV-9/individual-complaints"
USA = "https://w3id.org/treatykg/id/state/USA"

_PROCEDURES = """
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
SELECT ?procedure ?treaty ?mode WHERE {
  ?procedure a tkg:OversightProcedure ; tkg:treaty ?treaty ; tkg:acceptanceMode ?mode .
}"""

# The treaties first (a subquery): joined the other way round, the store matches every party
# span against every procedure, which took 40 s of this file's 70.
_PARTY_SPANS = """
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
SELECT ?state ?treaty ?se ?sl ?ee ?el WHERE {
  { SELECT DISTINCT ?treaty WHERE { ?procedure a tkg:OversightProcedure ; tkg:treaty ?treaty . } }
  ?span tkg:treaty ?treaty ; a tkg:PartyStatus ; tkg:party ?state ;
        tkg:status <https://w3id.org/treatykg/vocab/status/party> ; tkg:startsEarliest ?se .
  OPTIONAL { ?span tkg:startsLatest ?sl }
  OPTIONAL { ?span tkg:endsEarliest ?ee }
  OPTIONAL { ?span tkg:endsLatest ?el }
}"""

# Declarations accepting (opt-in) or reservations excluding (opt-out) a procedure, with the
# bounds of the day they take effect and of the day a withdrawal takes effect.
_CHOICES = """
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
SELECT ?state ?procedure ?how ?act ?d ?de ?dl ?e ?ee ?el ?w ?wd ?wde ?wdl ?we ?wee ?wel WHERE {
  { ?act tkg:acceptsProcedure ?procedure . BIND("accepts" AS ?how) }
  UNION
  { ?act tkg:excludesProcedure ?procedure . BIND("excludes" AS ?how) }
  ?act tkg:actor ?state .
  OPTIONAL { ?act tkg:date ?d } OPTIONAL { ?act tkg:dateEarliest ?de } OPTIONAL { ?act tkg:dateLatest ?dl }
  OPTIONAL { ?act tkg:effectiveDate ?e }
  OPTIONAL { ?act tkg:effectiveDateEarliest ?ee } OPTIONAL { ?act tkg:effectiveDateLatest ?el }
  OPTIONAL {
    ?w tkg:withdraws ?act .
    OPTIONAL { ?w tkg:date ?wd } OPTIONAL { ?w tkg:dateEarliest ?wde } OPTIONAL { ?w tkg:dateLatest ?wdl }
    OPTIONAL { ?w tkg:effectiveDate ?we }
    OPTIONAL { ?w tkg:effectiveDateEarliest ?wee } OPTIONAL { ?w tkg:effectiveDateLatest ?wel }
  }
}"""

UNKNOWN = "unknown"


def _first_day(exact, earliest, latest, day):
    """True, False or UNKNOWN: has the day (given exactly or by bounds) come by ``day``?
    An effect with no bounds at all is unknown."""
    if exact is not None:
        return exact <= day
    if latest is not None and latest <= day:
        return True
    if earliest is not None and earliest > day:
        return False
    return UNKNOWN


def _span_holds(se, sl, ee, el, day):
    started = True if sl is not None and sl <= day else (False if se > day else UNKNOWN)
    if ee is None:
        ended = False
    elif ee > day:
        ended = False
    elif el is not None and el <= day:
        ended = True
    else:
        ended = UNKNOWN
    if started is False or ended is True:
        return False
    if started is UNKNOWN or ended is UNKNOWN:
        return UNKNOWN
    return True


def _any(values):
    values = list(values)
    if True in values:
        return True
    return UNKNOWN if UNKNOWN in values else False


@pytest.fixture(scope="module")
def facts(shipped_kg):
    procedures = {r["procedure"]: (r["treaty"], r["mode"].rsplit("/", 1)[-1]) for r in shipped_kg.select(_PROCEDURES).dicts()}
    spans = defaultdict(list)
    for r in shipped_kg.select(_PARTY_SPANS).dicts():
        spans[(r["state"], r["treaty"])].append((r["se"], r["sl"], r["ee"], r["el"]))
    choices = defaultdict(dict)
    for r in shipped_kg.select(_CHOICES).dicts():
        entry = choices[(r["state"], r["procedure"], r["how"])].setdefault(
            r["act"], {"act": (r["d"], r["de"], r["dl"], r["e"], r["ee"], r["el"]), "withdrawals": []})
        if r["w"] is not None:
            entry["withdrawals"].append((r["wd"], r["wde"], r["wdl"], r["we"], r["wee"], r["wel"]))
    return procedures, spans, choices


def _in_force(act, withdrawals, day):
    """Has the act taken effect by ``day`` and not been withdrawn (True, False or UNKNOWN)?"""
    d, de, dl, e, ee, el = act
    if e is not None or ee is not None or el is not None:
        took = _first_day(e, ee, el, day)
    else:
        took = _first_day(d, de, dl, day)
    gone = _any(
        _first_day(we, wee, wel, day) if (we is not None or wee is not None or wel is not None)
        else _first_day(wd, wde, wdl, day)
        for (wd, wde, wdl, we, wee, wel) in withdrawals
    )
    if took is False or gone is True:
        return False
    if took is UNKNOWN or gone is UNKNOWN:
        return UNKNOWN
    return True


def expected(facts, day):
    """{(state, procedure): True/False} for pairs whose answer is certain on ``day``, and the
    set of pairs whose answer is uncertain."""
    procedures, spans, choices = facts
    out, unknown = {}, set()
    for (state, treaty), state_spans in spans.items():
        party = _any(_span_holds(*s, day) for s in state_spans)
        for procedure, (p_treaty, mode) in procedures.items():
            if p_treaty != treaty:
                continue
            if mode == "automatic":
                bound = party
            elif mode == "opt-in":
                accepted = _any(_in_force(c["act"], c["withdrawals"], day)
                                for c in choices[(state, procedure, "accepts")].values())
                bound = False if party is False or accepted is False else (
                    UNKNOWN if UNKNOWN in (party, accepted) else True)
            else:  # opt-out
                excluded = _any(_in_force(c["act"], c["withdrawals"], day)
                                for c in choices[(state, procedure, "excludes")].values())
                bound = False if party is False or excluded is True else (
                    UNKNOWN if UNKNOWN in (party, excluded) else True)
            if bound is UNKNOWN:
                unknown.add((state, procedure))
            else:
                out[(state, procedure)] = bound
    return out, unknown


@pytest.fixture(scope="module")
def matrix(shipped_kg):
    """{day: {(state, procedure): row}}: the ``oversight-matrix`` answer, one query per date."""
    out = {}
    for day in DATES:
        rows = queries.run(shipped_kg, "oversight-matrix", {"date": day}).dicts()
        by_pair = {(r["state"], r["procedure"]): r for r in rows}
        assert len(by_pair) == len(rows), f"the matrix has two rows for one State and procedure on {day}"
        out[day] = by_pair
    return out


def _reported(answer):
    """The pairs an answer ({(state, procedure): row}) reports as bound, and as uncertain."""
    got = {key for key, row in answer.items() if row["status"] in BOUND}
    uncertain = {key for key, row in answer.items() if row["status"] == "uncertain"}
    return got, uncertain


def disagreements(want, got, uncertain):
    """The pairs the acts and the answer disagree on, described (uncertain answers left out)."""
    out = []
    for key, bound in sorted(want.items()):
        if key in uncertain:
            continue
        if (key in got) != bound:
            out.append(f"{key[0].rsplit('/', 1)[-1]} {key[1].split('/id/')[-1]}: "
                       f"{'bound' if key in got else 'not bound'} by oversight, "
                       f"{'bound' if bound else 'not bound'} by its acts")
    return out


@pytest.mark.parametrize("day", DATES, ids=str)
def test_oversight_of_every_state_follows_its_declarations(facts, matrix, day):
    procedures = facts[0]
    want, unknown = expected(facts, day)
    states = sorted({s for s, _ in want})
    assert len(states) > 150, "the UN treaties alone have far more parties"
    got, uncertain = _reported(matrix[day])
    mismatches = disagreements(want, got, uncertain)
    assert not mismatches, f"{len(mismatches)} disagreements on {day}:\n" + "\n".join(mismatches[:40])
    # every reported binding procedure is one the acts account for
    unexplained = [k for k in got if k not in want and k not in unknown]
    assert not unexplained, f"reported but not accounted for: {unexplained[:20]}"
    # the check is not vacuous: opt-in and opt-out procedures, each bound for some and not for others
    for mode in ("opt-in", "opt-out"):
        values = {v for (s, p), v in want.items() if procedures[p][1] == mode}
        assert values == {True, False}, f"{mode}: {values}"
    # and it catches a wrong answer: one that ignores the acceptance modes (every party bound by
    # every procedure of its treaties) disagrees with the acts
    all_automatic = ({p: (t, "automatic") for p, (t, _) in procedures.items()},) + tuple(facts[1:])
    wrong = {key for key, bound in expected(all_automatic, day)[0].items() if bound}
    assert disagreements(want, wrong, uncertain)


def _sample(facts, matrix):
    """States to ask ``oversight`` about one by one: some with a withdrawn declaration or
    reservation, some with an opt-out reservation, every 25th State of the matrix, and the USA
    (party to few of the treaties)."""
    choices = facts[2]
    withdrawn = sorted({s for (s, p, how), acts in choices.items() if any(c["withdrawals"] for c in acts.values())})
    excluding = sorted({s for (s, p, how) in choices if how == "excludes"})
    every = sorted({s for answer in matrix.values() for s, _ in answer})
    return sorted(set(withdrawn[:4]) | set(excluding[:4]) | set(every[::25]) | {USA})


def test_the_oversight_command_agrees_with_the_matrix(shipped_kg, facts, matrix):
    """``treatykg oversight`` for one State gives what the matrix gives for it: the same
    procedures, each with the same status and span bounds."""
    states = _sample(facts, matrix)
    assert len(states) >= 10
    for day in DATES:
        for state in states:
            spans = defaultdict(list)
            for row in oversight(shipped_kg, state, on=day):
                assert row["state"] == state
                spans[row["procedure"]].append(row)
            by_command = {p: (min((r["status"] for r in rows), key=STATUSES.index),
                              min(r["since"] for r in rows),
                              min((r["until"] for r in rows if r["until"] is not None), default=None))
                          for p, rows in spans.items()}
            by_matrix = {p: (r["status"], r["since"], r["until"])
                         for (s, p), r in matrix[day].items() if s == state}
            assert by_command == by_matrix, f"{state} on {day}"


def test_no_cat_individual_complaints_without_an_article_22_declaration(facts, matrix):
    """The issue's example, for every State on each date."""
    _, _, choices = facts
    for day in DATES:
        for state in sorted({s for (s, p, how) in choices} | {USA}):
            row = matrix[day].get((state, CAT22))
            if row and row["status"] in BOUND:
                declared = [c for c in choices[(state, CAT22, "accepts")].values()
                            if _in_force(c["act"], c["withdrawals"], day) is not False]
                assert declared, f"{state} has CAT individual complaints on {day} without an Art. 22 declaration"
