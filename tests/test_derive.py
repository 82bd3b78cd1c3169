"""The derived status layer on a small fixture: re-accession, pending and unknown ends,
membership clauses, surviving obligations, opt-in and opt-out procedures, signatures."""

import datetime as dt

import pytest

D = dt.date.fromisoformat
ID = "https://w3id.org/treatykg/id/"

SPANS = """
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
SELECT ?state ?subject ?status ?se ?sl ?ee ?el ?notice ?covers WHERE {
  ?s tkg:party ?state ; tkg:status ?status ; tkg:startsEarliest ?se .
  { ?s tkg:procedure ?subject } UNION { ?s a tkg:PartyStatus ; tkg:treaty ?subject }
  OPTIONAL { ?s tkg:startsLatest ?sl } OPTIONAL { ?s tkg:endsEarliest ?ee } OPTIONAL { ?s tkg:endsLatest ?el }
  OPTIONAL { ?s tkg:endNoticeFrom ?notice } OPTIONAL { ?s tkg:coversActsBefore ?covers }
}"""


@pytest.fixture(scope="module")
def spans(rules_kg):
    out = {}
    for r in rules_kg.select(SPANS).dicts():
        key = (r["state"].rsplit("/", 1)[-1], r["subject"].split("/id/", 1)[-1], r["status"].rsplit("/", 1)[-1])
        out.setdefault(key, []).append(r)
    for v in out.values():
        v.sort(key=lambda r: r["se"])
    return out


def ends(rows):
    return [(r["se"], r.get("sl"), r.get("ee"), r.get("el")) for r in rows]


def test_denunciation_ends_at_published_rule_date(spans):
    assert ends(spans[("BLR", "treaty/untc-IV-5", "party")]) == [(D("1992-12-30"), D("1992-12-30"), D("2023-02-08"), D("2023-02-08"))]
    assert spans[("BLR", "treaty/untc-IV-5", "party")][0]["notice"] == D("2022-11-08")


def test_reaccession_opens_a_new_span(spans):
    assert ends(spans[("TTO", "treaty/untc-IV-5", "party")]) == [
        (D("1981-02-14"), D("1981-02-14"), D("1998-08-26"), D("1998-08-26")),
        (D("1998-08-26"), D("1998-08-26"), D("2000-06-27"), D("2000-06-27")),
    ]
    assert ends(spans[("GUY", "treaty/untc-IV-5", "party")]) == [
        (D("1993-08-10"), D("1993-08-10"), D("1999-04-05"), D("1999-04-05")),
        (D("1999-04-05"), D("1999-04-05"), None, None),
    ]


def test_consent_before_general_entry_into_force_starts_with_it(spans):
    assert spans[("JAM", "treaty/untc-IV-5", "party")][0]["se"] == D("1976-03-23")


def test_published_effective_date_wins_over_clause(spans):
    assert spans[("NOR", "treaty/untc-IV-5", "party")][0]["se"] == D("2000-05-01")


def test_unknown_receipt_date_gives_bounded_end(spans):
    [s] = spans[("RUS", "treaty/coe-ets-126", "party")]
    assert (s["se"], s["sl"]) == (D("1998-09-01"), D("1998-09-01"))
    assert s["ee"] == D("2026-10-01") and s.get("el") is None
    assert s["notice"] == D("2025-09-29")


def test_membership_clause_and_surviving_obligations(spans):
    [s] = spans[("RUS", "treaty/coe-ets-5", "party")]
    assert (s["ee"], s["el"]) == (D("2022-09-16"), D("2022-09-16"))
    assert s["notice"] == D("2022-03-16")
    [sv] = spans[("RUS", "treaty/coe-ets-5", "surviving-obligations")]
    assert sv["se"] == D("2022-09-16") and sv["covers"] == D("2022-09-16") and sv.get("ee") is None
    [pv] = spans[("RUS", "procedure/coe-ets-5/individual-complaints", "surviving-obligations")]
    assert pv["covers"] == D("2022-09-16")


def test_opt_in_declaration_and_opt_out_reservation(spans):
    assert ends(spans[("RUS", "procedure/untc-IV-9/individual-complaints", "party")]) == [(D("1991-10-01"), D("1991-10-01"), None, None)]
    # the Art. 20 reservation made at ratification excluded the inquiry until its withdrawal
    assert ends(spans[("RUS", "procedure/untc-IV-9/inquiry", "party")]) == [(D("1991-10-01"), D("1991-10-01"), None, None)]
    # France made no reservation: inquiry applies from entry into force
    assert spans[("FRA", "procedure/untc-IV-9/inquiry", "party")][0]["se"] == D("1987-06-26")
    # no declaration, no individual complaints
    assert ("FRA", "procedure/untc-IV-9/individual-complaints", "party") not in spans


def test_withdrawn_declaration_ends_the_procedure_not_the_treaty(spans):
    assert ends(spans[("RUS", "procedure/ihl-ap1/fact-finding", "party")]) == [(D("1990-03-29"), D("1990-03-29"), D("2019-10-23"), D("2019-10-23"))]
    assert ends(spans[("RUS", "treaty/ihl-ap1", "party")]) == [(D("1990-03-29"), D("1990-03-29"), None, None)]


def test_signatures(spans):
    assert ends(spans[("JAM", "treaty/untc-IV-5", "signatory")]) == [(D("1966-12-19"), D("1966-12-19"), D("1975-10-03"), D("1975-10-03"))]
    assert ends(spans[("RUS", "treaty/untc-XVIII-10", "signatory")]) == [(D("2000-09-13"), D("2000-09-13"), D("2016-11-30"), D("2016-11-30"))]
    assert ("RUS", "treaty/untc-XVIII-10", "party") not in spans


def test_published_bounds_are_narrowed_by_the_clause(spans):
    """Jamaica's ICCPR-OP1 denunciation: the page bounds the effect between the notification
    and the page's date; Article 12(1) (three months after receipt) gives the day within them."""
    assert ends(spans[("JAM", "treaty/untc-IV-5", "party")]) == [(D("1976-03-23"), D("1976-03-23"), D("1998-01-23"), D("1998-01-23"))]


def test_undated_signature_starts_no_earlier_than_the_adoption(spans):
    assert ends(spans[("AGO", "treaty/ieadb-1", "signatory")]) == [(D("2018-03-04"), None, None, None)]
    # with no adoption date either, nothing bounds the start: no span
    assert ("AGO", "treaty/ieadb-2", "signatory") not in spans


def test_a_state_that_ceases_to_exist_stops_being_a_signatory(spans):
    assert ends(spans[("DDR", "treaty/ieadb-2", "signatory")]) == [(D("1989-01-10"), D("1989-01-10"), D("1990-10-02"), D("1990-10-02"))]


def test_participation_ending_the_day_it_would_begin_leaves_no_span(spans):
    assert ("TKM", "treaty/ieadb-1", "party") not in spans


def test_an_end_no_source_dates_comes_no_earlier_than_the_start(spans):
    """An act of unknown date that ends a span (a denunciation, a loss of membership, a
    ratification ending a signatory's span): the span ends no earlier than it begins, with no
    upper bound, so the answer is uncertain from its start rather than open for ever."""
    assert ends(spans[("SLE", "treaty/untc-IV-5", "party")]) == [(D("1996-11-23"), D("1996-11-23"), D("1996-11-23"), None)]
    assert ends(spans[("GRC", "treaty/coe-ets-5", "party")]) == [(D("1953-09-03"), D("1953-09-03"), D("1953-09-03"), None)]
    [sv] = spans[("GRC", "treaty/coe-ets-5", "surviving-obligations")]
    assert sv["se"] == D("1953-09-03") and sv.get("sl") is None
    assert ends(spans[("SEN", "treaty/untc-IV-9", "signatory")]) == [(D("1985-02-04"), D("1985-02-04"), D("1985-02-04"), None)]
    # a withdrawal of consent of unknown date: a signatory again from no earlier than 2002-01-24
    assert ends(spans[("MLI", "treaty/untc-IV-5", "party")]) == [(D("2002-01-24"), D("2002-01-24"), D("2002-01-24"), None)]
    assert ends(spans[("MLI", "treaty/untc-IV-5", "signatory")]) == [(D("2002-01-24"), None, None, None)]


def test_an_end_announced_before_the_start_is_not_pending(spans):
    """Chile's withdrawal is notified on 1 Mar 2019, before its accession takes effect on
    1 Jun 2019, and no clause delays it: the span may end the day it begins, and at no time was
    Chile bound with the end pending."""
    [s] = spans[("CHL", "treaty/ieadb-1", "party")]
    assert ends([s]) == [(D("2019-06-01"), D("2019-06-01"), D("2019-06-01"), None)]
    assert s.get("notice") is None


def test_every_span_has_an_earliest_start(rules_kg):
    """The ontology's rule (and the core shape StatusSpan_startsEarliest): a span whose start
    nothing bounds is not written, and every written one has tkg:startsEarliest."""
    rows = rules_kg.select("""PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?s WHERE { ?s tkg:status ?status FILTER NOT EXISTS { ?s tkg:startsEarliest ?d } }""").rows
    assert rows == []


def test_computed_effective_dates_are_written_back_with_their_rule(rules_kg):
    rows = rules_kg.select("""PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?act ?e ?basis ?rule WHERE { ?act tkg:effectiveDateEarliest ?e ; tkg:effectiveDateBasis ?basis ; tkg:effectiveDateRule ?rule }""",
                           {"act": ID + "act/coe-ets-126/RUS/denunciation/undated"}).dicts()
    assert [(r["e"], r["basis"], r["rule"]) for r in rows] == [
        (D("2026-10-01"), "https://w3id.org/treatykg/vocab/date-basis/computed", ID + "treaty/coe-ets-126/clause/denunciation")]


def test_derivation_is_deterministic():
    import pyoxigraph as ox

    from treatykg.kg import DERIVED_GRAPH, load_graph

    from conftest import FIXTURES

    def derived():
        kg = load_graph([FIXTURES / "derive" / "rules.ttl"], use_cache=False)
        return sorted(str(q) for q in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH)))

    assert derived() == derived()


def test_an_asserted_effect_is_not_restated_by_the_derivation(rules_kg):
    """Jamaica's denunciation keeps the bounds its source states, with their one basis; the
    computed day is on the span, with the clause as its rule."""
    rows = rules_kg.select("""PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?p ?o WHERE { ?act ?p ?o . FILTER (STRSTARTS(STR(?p), STR(tkg:effectiveDate))) }""",
                           {"act": ID + "act/untc-IV-5/JAM/denunciation/1997-10-23"}).dicts()
    got = {(r["p"].rsplit("#", 1)[-1], r["o"] if isinstance(r["o"], dt.date) else str(r["o"])) for r in rows}
    assert got == {("effectiveDateEarliest", D("1997-10-23")), ("effectiveDateLatest", D("2026-02-03"))}
    rule = rules_kg.select("""PREFIX tkg: <https://w3id.org/treatykg/ontology#>
        SELECT ?rule WHERE { ?span tkg:endedBy ?act ; tkg:endRule ?rule ; a tkg:PartyStatus }""",
                           {"act": ID + "act/untc-IV-5/JAM/denunciation/1997-10-23"}).dicts()
    assert [r["rule"] for r in rule] == [ID + "treaty/untc-IV-5/clause/denunciation"]
