"""The two validation engines give the same results.

``sparql`` (the default) compiles the core constraints of shapes/*.ttl into SPARQL
(treatykg.shacl_sparql); ``pyshacl`` runs pySHACL. Both must report the same results, down to
the multiset of (focus node, source shape, severity, result path, constraint component, value,
message), on every shape fixture (valid and invalid), on literals that SPARQL and rdflib read
differently, and on real data. Each comparison validates one Oxigraph store with both engines,
so blank nodes keep their labels.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SH

from treatykg import resources
from treatykg.errors import InputError
from treatykg.shacl_sparql import Subclasses, compile_shape
from treatykg.validate import DEFAULT_ENGINE, ENGINES, TKGSH, shapes_graph, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
SG = shapes_graph()
NAMED = sorted(
    {s for kind in (SH.NodeShape, SH.PropertyShape) for s in SG.subjects(RDF.type, kind) if isinstance(s, URIRef)}
)
SHAPE_IDS = [str(s)[len(TKGSH):] for s in NAMED]


def _store(*sources: Path | str) -> ox.Store:
    """An Oxigraph store with the ontology and ``sources`` (paths or Turtle text) in its
    default graph: what the validator works on, shared by both engines."""
    store = ox.Store()
    for f in resources.ontology_files():
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    for src in sources:
        if isinstance(src, Path):
            store.load(path=str(src), format=ox.RdfFormat.TURTLE)
        else:
            store.load(src.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


def _results(data, engine: str, **kw) -> Counter:
    result = validate(data, engine=engine, **kw)
    assert result.conforms == (not any(f.severity == "Violation" for f in result.results))
    return Counter(
        (f.focus, f.shape, f.severity, f.path, f.component, f.value, f.message) for f in result.results
    )


def _assert_same(data, **kw) -> Counter:
    theirs = _results(data, "pyshacl", **kw)
    ours = _results(data, "sparql", **kw)
    missing, extra = theirs - ours, ours - theirs
    assert not missing and not extra, (
        f"sparql engine misses {len(missing)} pySHACL result(s): {sorted(map(str, missing))[:5]}\n"
        f"and gives {len(extra)} pySHACL does not: {sorted(map(str, extra))[:5]}"
    )
    return ours


def test_engines_and_default():
    assert set(ENGINES) == {"sparql", "pyshacl"}
    assert DEFAULT_ENGINE == "sparql"
    with pytest.raises(InputError, match="no validation engine 'nope'.*sparql, pyshacl"):
        validate(_store(), engine="nope")


def test_every_core_shape_compiles_to_sparql():
    """A shape the sparql engine cannot compile is validated by pySHACL instead: correct, but
    slow on the shipped graph. Every shape in shapes/ compiles, so the default engine never
    falls back; extend treatykg.shacl_sparql when a shape needs another constraint component."""
    subclasses = Subclasses(_store())
    core = [s for s in NAMED if (s, SH.sparql, None) not in SG]
    assert len(core) > 100
    not_compiled = [str(s)[len(TKGSH):] for s in core if compile_shape(SG, s, subclasses) is None]
    assert not_compiled == []


@pytest.mark.parametrize("shape_id", SHAPE_IDS)
def test_engines_agree_on_the_fixtures(shape_id):
    for name in ("valid.ttl", "invalid.ttl"):
        got = _assert_same(_store(FIXTURES / shape_id / name), only=[shape_id])
        assert bool(got) == (name == "invalid.ttl"), f"{shape_id}/{name}"


def test_a_shape_the_compiler_does_not_know_goes_to_pyshacl(tmp_path):
    """sh:minLength is not compiled: the sparql engine hands that shape to pySHACL and still
    gives pySHACL's results, next to the compiled shapes of the same file."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix tkgsh: <https://w3id.org/treatykg/shapes#> .
tkgsh:ShortIdLength a sh:PropertyShape ; sh:targetClass tkg:Treaty ; sh:path tkg:shortId ;
    sh:minLength 3 ; sh:message "short id too short (test)" .
tkgsh:ShortIdCount a sh:PropertyShape ; sh:targetClass tkg:Treaty ; sh:path tkg:shortId ;
    sh:maxCount 1 ; sh:message "two short ids (test)" .
""")
    data = """@prefix tkg: <https://w3id.org/treatykg/ontology#> .
<https://w3id.org/treatykg/id/treaty/a> a tkg:Treaty ; tkg:shortId "A" , "AB" .
<https://w3id.org/treatykg/id/treaty/b> a tkg:Treaty ; tkg:shortId "B-1" .
"""
    sg = shapes_graph([shapes])
    subclasses = Subclasses(_store())
    assert compile_shape(sg, URIRef(TKGSH + "ShortIdLength"), subclasses) is None
    assert compile_shape(sg, URIRef(TKGSH + "ShortIdCount"), subclasses)
    got = _assert_same(_store(data), shapes=[shapes])
    assert {(str(k[1])[len(TKGSH):], str(k[5])) for k in got} == {
        ("ShortIdLength", "A"), ("ShortIdLength", "AB"), ("ShortIdCount", "None")
    }


# Literals whose reading differs between XSD (Oxigraph) and rdflib (pySHACL): dates rdflib
# rejects but XSD allows (year -44, year 0, five-digit years) and the reverse; durations and
# booleans rdflib reads loosely; comparisons across datatypes, with strings and IRIs; a pattern
# match that Python's "$" allows before a final newline. Plus ordinary bad values.
EDGE = """@base <https://w3id.org/treatykg/id/> .
@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<act/t/AAA/signature/a> tkg:date "2020-02-30"^^xsd:date .
<act/t/AAA/signature/b> tkg:date "-0044-03-15"^^xsd:date .
<act/t/AAA/signature/c> tkg:date "0000-01-01"^^xsd:date .
<act/t/AAA/signature/d> tkg:date "20200-01-01"^^xsd:date .
<act/t/AAA/signature/e> tkg:date "2020-01-01Z"^^xsd:date .
<act/t/AAA/signature/f> tkg:date "2020-01-01T00:00:00"^^xsd:dateTime .
<act/t/AAA/signature/g> tkg:date "2020-01-01" .
<act/t/AAA/signature/h> tkg:date "2020-01-01"@en .
<act/t/AAA/signature/i> tkg:date <https://example.org/2020> .
<act/t/AAA/signature/j> tkg:date "2020-01-01"^^xsd:date , "2020-01-02"^^xsd:date .
<act/t/AAA/signature/k> tkg:date " 2020-01-01"^^xsd:date .
<status/AAA/t/1> a tkg:PartyStatus ; tkg:startsEarliest "2020-01-01"^^xsd:date ; tkg:startsLatest "2019-12-31"^^xsd:date .
<status/AAA/t/2> a tkg:PartyStatus ; tkg:startsEarliest "2020-01-01"^^xsd:date ; tkg:startsLatest "2020"^^xsd:gYear .
<status/AAA/t/3> a tkg:PartyStatus ; tkg:startsEarliest "2020-01-01" ; tkg:startsLatest "2021-01-01" .
<status/AAA/t/4> a tkg:PartyStatus ; tkg:startsEarliest "2020-01-01"^^xsd:date ; tkg:startsLatest "2020-01-01T00:00:00"^^xsd:dateTime .
<status/AAA/t/5> a tkg:PartyStatus ; tkg:startsEarliest "2020-01-01"^^xsd:date ; tkg:startsLatest <https://example.org/x> .
<status/AAA/t/6> a tkg:PartyStatus ; tkg:startsEarliest "2020-02-30"^^xsd:date ; tkg:startsLatest "2020-03-01"^^xsd:date .
<status/AAA/t/7> a tkg:PartyStatus ; tkg:startsEarliest "2020-01-01"^^xsd:date ; tkg:startsLatest "2020-01-01"^^xsd:date , "2019-01-01"^^xsd:date .
<status/AAA/t/8> tkg:startCertain "TRUE"^^xsd:boolean ; tkg:endCertain "1"^^xsd:boolean .
<status/AAA/t/9> tkg:startCertain "yes"^^xsd:boolean ; tkg:endCertain "false" .
<treaty/t/clause/a> tkg:period "P1W"^^xsd:duration .
<treaty/t/clause/b> tkg:period "PT"^^xsd:duration .
<treaty/t/clause/c> tkg:period "P1.5Y"^^xsd:duration .
<treaty/t/clause/d> tkg:period "P3M"^^xsd:duration .
<treaty/t/clause/e> tkg:period "P"^^xsd:duration .
<treaty/t/clause/f> tkg:period "3 months" .
<source/a> tkg:reportedParties "-1"^^xsd:integer .
<source/b> tkg:reportedParties " 1"^^xsd:integer .
<source/c> tkg:reportedParties "01"^^xsd:integer .
<source/d> tkg:reportedParties "1.0"^^xsd:decimal .
<source/e> tkg:reportedParties "abc"^^xsd:integer .
<source/f> tkg:reportedParties "7" .
<state/AAA> a tkg:State ; tkg:isoAlpha3 "AAA\\n" .
<state/BBB> a tkg:State ; tkg:isoAlpha3 "ÀBC" .
<state/CCC> a tkg:State ; tkg:isoAlpha3 "CC" .
<state/DDD> a tkg:State ; tkg:isoAlpha3 "DDD"@en .
<act/t/NLD/territorial-application/a> tkg:territory "Aruba"@nl , "Aruba" , "1"^^xsd:integer , <https://example.org/aruba> .
"""


def test_engines_agree_on_literals_sparql_and_rdflib_read_differently():
    got = _assert_same(_store(EDGE))
    reported = {(str(k[1])[len(TKGSH):], str(k[0]).rsplit("/", 1)[-1], str(k[5])) for k in got}
    # not vacuous: the checks did look at these values (XSD says: all wrong)
    for shape, focus, value in [
        ("Event_date", "a", "2020-02-30"), ("Event_date", "g", "2020-01-01"), ("Event_date", "i", "https://example.org/2020"),
        ("StatusSpan_startsEarliest", "1", "2020-01-01"), ("SourceRecord_reportedParties", "a", "-1"),
        ("State_isoAlpha3", "CCC", "CC"), ("Clause_period", "f", "3 months"),
    ]:
        assert (shape, focus, value) in reported, (shape, focus, value)


# ---------------------------------------------------------------------------------------
# real data


@pytest.fixture(scope="module")
def sample_kg():
    """Real data: the reference, hand-curated and APT graphs with their derived layer."""
    from treatykg.kg import load_graph

    g = resources.graph_dir()
    return load_graph([g / "reference", g / "curated", g / "apt"], use_cache=False)


def test_engines_agree_on_real_data(sample_kg):
    got = _assert_same(sample_kg)
    assert len(got) > 10  # the sample has warnings and infos to compare
    assert len({k[1] for k in got}) > 3


def test_cli_engine_option(capsys, tmp_path):
    from treatykg.cli import main
    import io

    fixture = str(FIXTURES / "ActBeforeAdoption" / "invalid.ttl")
    outputs = {}
    for engine in ENGINES:
        out = io.StringIO()
        code = main(["validate", "--engine", engine, fixture], out=out)
        assert code == 1, capsys.readouterr().err
        outputs[engine] = out.getvalue()
    assert outputs["sparql"] == outputs["pyshacl"]
    assert "ActBeforeAdoption" in outputs["sparql"]
    out = io.StringIO()
    assert main(["validate", "--engine", "nope", fixture], out=out) == 2
    assert "no validation engine 'nope'" in capsys.readouterr().err


def test_a_store_of_named_graphs_is_validated_as_their_set_union():
    """A fact stated in two named graphs counts once (sh:maxCount 1 holds), a fact split over
    graphs is joined, and the result is the one of the merged graph."""
    from rdflib import Graph

    quads = """<https://w3id.org/treatykg/id/act/t/AAA/signature/1990-01-01> <https://w3id.org/treatykg/ontology#date> "1990-01-01"^^<http://www.w3.org/2001/XMLSchema#date> <https://w3id.org/treatykg/graph/a> .
<https://w3id.org/treatykg/id/act/t/AAA/signature/1990-01-01> <https://w3id.org/treatykg/ontology#date> "1990-01-01"^^<http://www.w3.org/2001/XMLSchema#date> <https://w3id.org/treatykg/graph/b> .
<https://w3id.org/treatykg/id/act/t/AAA/signature/1990-01-01> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/treatykg/ontology#Signature> <https://w3id.org/treatykg/graph/b> .
"""
    store = ox.Store()
    store.load(quads.encode(), format=ox.RdfFormat.N_QUADS)
    merged = Graph()
    merged.parse(data=quads.replace(" <https://w3id.org/treatykg/graph/a> .", " .").replace(" <https://w3id.org/treatykg/graph/b> .", " ."),
                 format="nt")
    for engine in ENGINES:
        from_store = validate(store, engine=engine).results
        assert from_store == validate(merged, engine=engine).results
        shapes = {f.shape_id for f in from_store}
        assert "Event_date" not in shapes and "TreatyAct_actor" in shapes, sorted(shapes)
