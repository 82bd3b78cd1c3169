"""Where the derivation writes the derived layer, the sources it writes onto each span, and the
source conflicts it writes (graph/derived/source-conflicts).

The procedure spans go to their own named graph (the oversight queries read them alone from
it), everything else to graph/derived; each span's tkg:restsOnSource is exactly the set of
source records that the acts it rests on are derived from. Checked on the derivation fixture
(tests/fixtures/derive/rules.ttl) and on the query fixture, against what the graph says.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import pytest

from conftest import FIXTURES

TKG = "https://w3id.org/treatykg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module", params=["derive", "queries"])
def kg(request):
    from treatykg.kg import load_graph

    kg = load_graph([FIXTURES / request.param], use_cache=False)
    kg.fixture = request.param
    return kg


def _subjects(kg, graph: str, cls: str) -> set[str]:
    return {q.subject.value for q in kg.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(TKG + cls),
                                                                 ox.NamedNode(graph))}


def test_procedure_spans_have_their_own_graph(kg):
    from treatykg.derive import PROCEDURE_STATUS_GRAPH
    from treatykg.kg import DERIVED_GRAPH

    procedure_spans = _subjects(kg, PROCEDURE_STATUS_GRAPH, "ProcedureStatus")
    assert procedure_spans, "the fixture derives procedure spans"
    assert not _subjects(kg, PROCEDURE_STATUS_GRAPH, "PartyStatus")
    assert not _subjects(kg, DERIVED_GRAPH, "ProcedureStatus")
    assert _subjects(kg, DERIVED_GRAPH, "PartyStatus")
    # every triple about a procedure span is in that graph, none in graph/derived
    g = ox.NamedNode(PROCEDURE_STATUS_GRAPH)
    for span in procedure_spans:
        node = ox.NamedNode(span)
        assert not list(kg.store.quads_for_pattern(node, None, None, ox.NamedNode(DERIVED_GRAPH)))
        props = {q.predicate.value for q in kg.store.quads_for_pattern(node, None, None, g)}
        assert {TKG + "party", TKG + "procedure", TKG + "startsEarliest", TKG + "status"} <= props
    # the union default graph holds them too, so queries without GRAPH see every span
    assert kg.ask(f"ASK {{ ?s a <{TKG}ProcedureStatus> }}")


def test_each_span_cites_exactly_the_sources_of_the_acts_it_rests_on(kg):
    rows = kg.select(f"""SELECT ?span ?act ?src WHERE {{
        ?span a ?cls . FILTER (?cls IN (<{TKG}PartyStatus>, <{TKG}ProcedureStatus>))
        ?span <{TKG}restsOn> ?act . OPTIONAL {{ ?act <{PROV}wasDerivedFrom> ?src }} }}""").rows
    expected = defaultdict(set)
    for span, _act, src in rows:
        expected[span.value]
        if src is not None:
            expected[span.value].add(src.value)
    cited = defaultdict(set)
    for span, src in kg.select(f"SELECT ?span ?src WHERE {{ ?span <{TKG}restsOnSource> ?src }}").rows:
        cited[span.value].add(src.value)
    assert set(cited) <= set(expected), "only spans cite sources"
    assert {s: v for s, v in expected.items() if v} == dict(cited)
    if kg.fixture == "queries":  # the seed story: sources that agree, and a second source
        assert any(len(v) > 1 for v in cited.values()), "a span resting on several sources"


def test_the_derived_graphs_are_deterministic():
    from treatykg.derive import PROCEDURE_STATUS_GRAPH, SOURCE_CONFLICTS_GRAPH
    from treatykg.kg import DERIVED_GRAPH, load_graph

    def derived():
        kg = load_graph([FIXTURES / "derive" / "rules.ttl"], use_cache=False)
        return {g: sorted(str(q) for q in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                for g in (DERIVED_GRAPH, PROCEDURE_STATUS_GRAPH, SOURCE_CONFLICTS_GRAPH)}

    first = derived()
    assert first[DERIVED_GRAPH] and first[PROCEDURE_STATUS_GRAPH]
    assert first == derived()


# the pairs as the source-conflicts query found them in SPARQL before the build wrote them
# (every act against every other act of its State, treaty and class)
PAIRS_IN_SPARQL = f"""PREFIX tkg: <{TKG}>
PREFIX prov: <{PROV}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?state ?treaty ?type ?act ?otherAct WHERE {{
  ?act tkg:actor ?state ; tkg:treaty ?treaty ; a ?type .
  ?otherAct tkg:actor ?state ; tkg:treaty ?treaty ; a ?type .
  FILTER (STRSTARTS(STR(?type), STR(tkg:)) && STR(?act) < STR(?otherAct))
  FILTER (NOT EXISTS {{ ?act prov:wasDerivedFrom ?shared . ?otherAct prov:wasDerivedFrom ?shared }}
          && (NOT EXISTS {{ ?act tkg:concernsProvision ?p1 }} && NOT EXISTS {{ ?otherAct tkg:concernsProvision ?p2 }}
              || EXISTS {{ ?act tkg:concernsProvision ?p3 . ?otherAct tkg:concernsProvision ?p3 }})
          && EXISTS {{ ?type rdfs:subClassOf* tkg:TreatyAct }}
          && NOT EXISTS {{ ?act a ?narrower . ?narrower rdfs:subClassOf ?type }}
          && NOT EXISTS {{ ?otherAct a ?otherNarrower . ?otherNarrower rdfs:subClassOf ?type }})
  OPTIONAL {{ ?act tkg:date ?date }} OPTIONAL {{ ?act tkg:dateEarliest ?dateEarliest }}
  OPTIONAL {{ ?act tkg:dateLatest ?dateLatest }} OPTIONAL {{ ?otherAct tkg:date ?otherDate }}
  OPTIONAL {{ ?otherAct tkg:dateEarliest ?otherDateEarliest }} OPTIONAL {{ ?otherAct tkg:dateLatest ?otherDateLatest }}
  FILTER (COALESCE(STR(?date), "") != COALESCE(STR(?otherDate), "")
          || COALESCE(STR(?dateEarliest), "") != COALESCE(STR(?otherDateEarliest), "")
          || COALESCE(STR(?dateLatest), "") != COALESCE(STR(?otherDateLatest), ""))
}}"""


def test_source_conflicts_are_the_pairs_the_sparql_definition_finds(kg):
    from treatykg.derive import SOURCE_CONFLICTS_GRAPH

    expected = {tuple(t.value for t in row) for row in kg.select(PAIRS_IN_SPARQL).rows}
    if kg.fixture == "queries":
        assert expected, "the query fixture holds a source conflict (ETS 157)"
    g = ox.NamedNode(SOURCE_CONFLICTS_GRAPH)
    nodes = _subjects(kg, SOURCE_CONFLICTS_GRAPH, "SourceConflict")

    def values(node, prop):
        return sorted(q.object.value for q in kg.store.quads_for_pattern(ox.NamedNode(node), ox.NamedNode(prop), None, g))

    written = set()
    for node in nodes:
        acts = values(node, TKG + "conflictingAct")
        assert len(acts) == 2
        for state in values(node, TKG + "conflictActor"):
            for treaty in values(node, TKG + "treaty"):
                for cls in values(node, TKG + "conflictClass"):
                    written.add((state, treaty, cls, acts[0], acts[1]))
        # the node cites the sources of both acts, and says which run wrote it
        sources = {q.object.value for a in acts
                   for q in kg.store.quads_for_pattern(ox.NamedNode(a), ox.NamedNode(PROV + "wasDerivedFrom"), None, None)}
        assert set(values(node, TKG + "conflictSource")) == sources
        assert values(node, PROV + "wasGeneratedBy")
    assert written == expected
    # nothing else is written to that graph
    assert {q.subject.value for q in kg.store.quads_for_pattern(None, None, None, g)} == nodes
