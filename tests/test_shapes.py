"""The SHACL shapes (shapes/*.ttl) and the validation library (treatykg.validate).

Every named shape has a directory tests/fixtures/shapes/<Shape>/ with
- valid.ttl: nodes the shape targets and that conform: the shape gives no result;
- invalid.ttl: nodes that break it;
- expected.ttl: every result the shape gives on invalid.ttl, as sh:ValidationResult nodes
  (focus node, source shape, severity, constraint component and, where the focus node has
  several, the value). A blank focus node ([]) stands for any blank node.
Each fixture is validated against its own shape only, so a fixture need not satisfy the others.

The last test validates the shipped graph (graph/ plus the derived layer) and is the slow one.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from treatykg import resources
from treatykg.errors import InputError
from treatykg.validate import TKGSH, ValidationResult, shapes_graph, short, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
TKG = Namespace("https://w3id.org/treatykg/ontology#")
VOCAB = "https://w3id.org/treatykg/vocab/"
ID = "https://w3id.org/treatykg/id/"

FILE_SEVERITY = {"core.ttl": SH.Violation, "recommended.ttl": SH.Warning, "info.ttl": SH.Info}


def _file_graph(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


SHAPE_FILES = {p.name: _file_graph(p) for p in resources.shape_files()}
SG = shapes_graph()
ONTOLOGY = Graph()
for _f in resources.ontology_files():
    ONTOLOGY.parse(_f, format="turtle")


def _named_shapes(g: Graph) -> list[URIRef]:
    out = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        out |= {s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return sorted(out)


SHAPES = _named_shapes(SG)
SHAPE_IDS = [str(s)[len(TKGSH):] for s in SHAPES]


def test_shapes_are_in_the_shapes_namespace_and_split_by_severity():
    assert set(SHAPE_FILES) == set(FILE_SEVERITY), "shapes/ holds exactly core.ttl, recommended.ttl and info.ttl"
    assert all(str(s).startswith(TKGSH) for s in SHAPES)
    seen: Counter = Counter()
    for g in SHAPE_FILES.values():
        seen.update(_named_shapes(g))
    assert [s for s, n in seen.items() if n > 1] == [], "a shape is defined in two files"
    assert len(SHAPES) > 100


# ---------------------------------------------------------------------------------------
# fixtures


def _fixture(shape_id: str, name: str) -> Graph:
    path = FIXTURES / shape_id / name
    assert path.is_file(), f"{path} is missing"
    return _file_graph(path)


def _key(term):
    return "_:blank" if isinstance(term, BNode) else term


def _expected(shape_id: str) -> tuple[set, bool]:
    g = _fixture(shape_id, "expected.ttl")
    rows = list(g.subjects(RDF.type, SH.ValidationResult))
    assert rows, f"{shape_id}/expected.ttl lists no result"
    with_values = any(g.value(r, SH.value) is not None for r in rows)
    out = set()
    for r in rows:
        assert g.value(r, SH.sourceShape) == URIRef(TKGSH + shape_id), f"{shape_id}/expected.ttl names another shape"
        row = (_key(g.value(r, SH.focusNode)), g.value(r, SH.resultSeverity), g.value(r, SH.sourceConstraintComponent))
        out.add(row + ((_key(g.value(r, SH.value)),) if with_values else ()))
    return out, with_values


def _got(result: ValidationResult, with_values: bool) -> set:
    sev = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}
    return {
        (_key(f.focus), sev[f.severity], f.component) + ((_key(f.value),) if with_values else ())
        for f in result.results
    }


def _focus_nodes(shape: URIRef, data: Graph) -> set:
    """The nodes ``shape`` targets in ``data`` (with the ontology for the subclass closure)."""
    g = Graph()
    g += data
    g += ONTOLOGY
    nodes: set = set()
    for c in SG.objects(shape, SH.targetClass):
        q = "SELECT ?x WHERE { ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c }"
        nodes |= {row[0] for row in g.query(q, initBindings={"c": c})}
    for p in SG.objects(shape, SH.targetSubjectsOf):
        nodes |= set(g.subjects(p, None))
    for p in SG.objects(shape, SH.targetObjectsOf):
        nodes |= set(g.objects(None, p))
    nodes |= set(SG.objects(shape, SH.targetNode))
    return nodes


def test_every_shape_has_fixtures_and_every_fixture_a_shape():
    dirs = {d.name for d in FIXTURES.iterdir() if d.is_dir()}
    missing = sorted(set(SHAPE_IDS) - dirs)
    assert not missing, f"shapes without fixtures in {FIXTURES}: {missing}"
    stray = sorted(dirs - set(SHAPE_IDS))
    assert not stray, f"fixture folders for shapes that do not exist: {stray}"
    for s in SHAPE_IDS:
        for name in ("valid.ttl", "invalid.ttl", "expected.ttl"):
            assert (FIXTURES / s / name).is_file(), f"{s}/{name} is missing"


@pytest.mark.parametrize("shape_id", SHAPE_IDS)
def test_valid_fixture_gives_no_result(shape_id):
    data = _fixture(shape_id, "valid.ttl")
    shape = URIRef(TKGSH + shape_id)
    assert _focus_nodes(shape, data), f"{shape_id}/valid.ttl has no node the shape targets, so it tests nothing"
    result = validate(data, only=[shape_id])
    assert result.results == [], f"{shape_id}/valid.ttl:\n{result.text()}"
    assert result.conforms


@pytest.mark.parametrize("shape_id", SHAPE_IDS)
def test_invalid_fixture_gives_exactly_the_expected_results(shape_id):
    data = _fixture(shape_id, "invalid.ttl")
    expected, with_values = _expected(shape_id)
    result = validate(data, only=[shape_id])
    assert {f.shape for f in result.results} == {URIRef(TKGSH + shape_id)}
    got = _got(result, with_values)
    assert got == expected, (
        f"{shape_id}/invalid.ttl\n  missing: {sorted(map(str, expected - got))}\n"
        f"  unexpected: {sorted(map(str, got - expected))}\n{result.text()}"
    )
    severity = next(f.severity for f in result.results)
    assert result.conforms == (severity != "Violation")


SPARQL_SHAPES = [s for s in SHAPE_IDS if (URIRef(TKGSH + s), SH.sparql, None) in SG]


@pytest.mark.parametrize("shape_id", SPARQL_SHAPES)
def test_sparql_shapes_give_what_pyshacl_gives(shape_id):
    """treatykg.validate runs each SPARQL constraint once with its targets joined in; pySHACL
    runs it once per focus node with $this pre-bound. Both must give the same results, which
    also shows the constraints are valid SHACL-SPARQL for a standard engine."""
    import pyshacl

    for name in ("valid.ttl", "invalid.ttl"):
        data = _fixture(shape_id, name)
        data += ONTOLOGY
        _, report, text = pyshacl.validate(data, shacl_graph=SG, inference="none", use_shapes=[TKGSH + shape_id])
        assert isinstance(report, Graph), f"{shape_id}: pySHACL cannot run the constraint: {text}"
        theirs = {
            (report.value(r, SH.focusNode), report.value(r, SH.value))
            for r in report.subjects(RDF.type, SH.ValidationResult)
        }
        ours = {(f.focus, f.value) for f in validate(_fixture(shape_id, name), only=[shape_id]).results}
        assert ours == theirs, f"{shape_id}/{name}: ours {sorted(ours)} pySHACL {sorted(theirs)}"
        if name == "invalid.ttl":
            assert ours


def _shape_components(shape: URIRef) -> set[URIRef]:
    """The constraint components a shape declares (from its parameters)."""
    params = {
        SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH["class"]: "Class", SH.datatype: "Datatype",
        SH.nodeKind: "NodeKind", SH.pattern: "Pattern", SH["in"]: "In", SH.hasValue: "HasValue",
        SH.lessThan: "LessThan", SH.lessThanOrEquals: "LessThanOrEquals", SH.equals: "Equals",
        SH["or"]: "Or", SH["not"]: "Not", SH.qualifiedMinCount: "QualifiedMinCount", SH.sparql: "SPARQL",
        SH.minInclusive: "MinInclusive",
    }
    declared = {p for p in SG.predicates(shape, None)}
    unknown = declared - set(params) - {
        RDF.type, SH.name, SH.description, SH.severity, SH.message, SH.path, SH.targetClass,
        SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.qualifiedValueShape,
    }
    assert not unknown, f"{short(shape)} uses parameters this test does not know: {unknown}"
    return {SH[params[p] + "ConstraintComponent"] for p in declared if p in params}


@pytest.mark.parametrize("shape_id", SHAPE_IDS)
def test_invalid_fixture_exercises_every_constraint_of_the_shape(shape_id):
    expected, _ = _expected(shape_id)
    fired = {row[2] for row in expected}
    declared = _shape_components(URIRef(TKGSH + shape_id))
    assert declared - fired == set(), f"{shape_id}: no expected result for {sorted(map(short, declared - fired))}"


# ---------------------------------------------------------------------------------------
# the shapes themselves


def _reporting_shapes(g: Graph) -> list:
    """Named shapes and any shape they reach through sh:property (those report results)."""
    out = list(_named_shapes(g))
    out += [p for s in _named_shapes(g) for p in g.objects(s, SH.property)]
    return out


@pytest.mark.parametrize("filename", sorted(FILE_SEVERITY))
def test_every_shape_is_named_described_with_severity_and_message(filename):
    g = SHAPE_FILES[filename]
    for s in _reporting_shapes(g):
        where = f"{filename}: {short(s)}"
        assert g.value(s, SH.name), f"{where} has no sh:name"
        assert g.value(s, SH.description), f"{where} has no sh:description"
        assert list(g.objects(s, SH.severity)) == [FILE_SEVERITY[filename]], f"{where}: severity must be {short(FILE_SEVERITY[filename])}"
        msgs = [str(m) for m in g.objects(s, SH.message)]
        assert msgs, f"{where} has no sh:message"
        for m in msgs:
            assert re.fullmatch(r"\S.* \([^()]+\)", m), f"{where}: message is not '<what is wrong> (<which rule>)': {m!r}"


def test_sparql_constraints_name_the_node_and_declare_their_prefixes():
    n = 0
    for filename, g in SHAPE_FILES.items():
        for shape, c in g.subject_objects(SH.sparql):
            n += 1
            where = f"{filename}: {short(shape)}"
            msg = str(g.value(c, SH.message) or "")
            assert "{$this}" in msg or "{?value}" in msg, f"{where}: the SPARQL message names neither {{$this}} nor {{?value}}"
            assert re.fullmatch(r".+ \([^()]+\)", msg), f"{where}: message is not '<what is wrong> (<which rule>)'"
            onto = g.value(c, SH.prefixes)
            assert (onto, RDF.type, OWL.Ontology) in g, f"{where}: sh:prefixes is not the file's owl:Ontology"
            declared = {str(g.value(d, SH.prefix)) for d in g.objects(onto, SH.declare)}
            used = set(re.findall(r"\b([a-z]+):[A-Za-z]", str(g.value(c, SH.select))))
            assert used <= declared, f"{where}: prefixes used but not declared: {used - declared}"
    assert n >= 5


def _terms_in_shapes() -> set[URIRef]:
    terms = set()
    for g in SHAPE_FILES.values():
        for t in g:
            terms |= {x for x in t if isinstance(x, URIRef)}
        for q in g.objects(None, SH.select):
            terms |= {TKG[m] for m in re.findall(r"\btkg:([A-Za-z]+)", str(q))}
            terms |= {URIRef(VOCAB + "status/" + m) for m in re.findall(r"\bstatus:([a-z-]+)", str(q))}
    return terms


def test_every_tkg_term_used_in_shapes_exists_in_the_ontology():
    defined = {s for s in ONTOLOGY.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = _terms_in_shapes()
    tkg = sorted(t for t in used if str(t).startswith(str(TKG)))
    assert tkg, "no tkg: term found in the shapes"
    missing = [short(t) for t in tkg if t not in defined]
    assert not missing, f"tkg: terms used in shapes but not defined in ontology/treatykg.ttl: {missing}"
    vocab = [t for t in used if str(t).startswith(VOCAB)]
    missing = [short(t) for t in vocab if (t, RDF.type, SKOS.Concept) not in ONTOLOGY]
    assert not missing, f"concepts used in shapes but not in ontology/vocab.ttl: {missing}"


# sh:in lists that deliberately name only part of a scheme: everything else must list it all.
PARTIAL_LISTS = {
    "Event_datePrecisionDay",  # a known day goes with precision day only
    "EntryIntoForceClause_countsFrom",  # entry into force counts from deposit or receipt
    "OptOutReservation_mode",  # only opt-out procedures can be excluded
    "OptInDeclaration_mode",  # only opt-in procedures can be accepted
    "UnconfirmedFact",  # info: flags unconfirmed
}


def test_every_vocabulary_list_is_exactly_one_scheme():
    """An sh:in list of concepts lists every concept of one scheme of vocab.ttl (or, for the
    shapes in PARTIAL_LISTS, part of one): a concept added to vocab.ttl must be added here too."""
    n = 0
    for filename, g in SHAPE_FILES.items():
        for shape, lst in g.subject_objects(SH["in"]):
            values = set(Collection(g, lst))
            if not any(str(v).startswith(VOCAB) for v in values):
                continue
            n += 1
            where = f"{filename} {short(shape)}"
            schemes = {ONTOLOGY.value(v, SKOS.inScheme) for v in values}
            assert len(schemes) == 1 and None not in schemes, f"{where}: sh:in mixes schemes or names unknown concepts {schemes}"
            members = set(ONTOLOGY.subjects(SKOS.inScheme, schemes.pop()))
            if str(shape)[len(TKGSH):] in PARTIAL_LISTS:
                assert values < members, f"{where}: a partial list must be a proper subset of its scheme"
            else:
                assert values == members, (
                    f"{where}: sh:in differs from the scheme in ontology/vocab.ttl: "
                    f"missing {sorted(map(short, members - values))}, extra {sorted(map(short, values - members))}"
                )
    assert n >= 20


def _targets_by_class() -> set[URIRef]:
    return set(SG.objects(None, SH.targetClass))


def test_every_class_of_the_ontology_is_covered_by_a_shape():
    targeted = _targets_by_class()
    classes = sorted(c for c in ONTOLOGY.subjects(RDF.type, OWL.Class) if str(c).startswith(str(TKG)))
    assert len(classes) > 40
    uncovered = []
    for c in classes:
        ancestors = set(ONTOLOGY.transitive_objects(c, RDFS.subClassOf))
        if not (ancestors & targeted):
            uncovered.append(short(c))
    assert not uncovered, f"classes no shape targets (directly or through a superclass): {uncovered}"


def _path_properties(g: Graph, node) -> set:
    if isinstance(node, URIRef):
        return {node}
    out = set()
    for p in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = g.value(node, p)
        if inner is not None:
            out |= _path_properties(g, inner)
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        for n in Collection(g, alt):
            out |= _path_properties(g, n)
    if (node, RDF.first, None) in g:
        for n in Collection(g, node):
            out |= _path_properties(g, n)
    return out


def test_every_property_of_the_ontology_is_constrained_by_a_shape():
    used = set()
    for g in SHAPE_FILES.values():
        for path in g.objects(None, SH.path):
            used |= _path_properties(g, path)
        for p in ("targetSubjectsOf", "targetObjectsOf"):
            used |= set(g.objects(None, SH[p]))
    props = sorted(
        p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ONTOLOGY.subjects(RDF.type, kind) if str(p).startswith(str(TKG))
    )
    unconstrained = [short(p) for p in props if p not in used]
    assert not unconstrained, f"ontology properties no shape constrains: {unconstrained}"


def test_the_shapes_graph_is_valid_shacl():
    import pyshacl

    empty = Graph()
    conforms, _, text = pyshacl.validate(empty, shacl_graph=SG, meta_shacl=True, inference="none")
    assert conforms, text


# ---------------------------------------------------------------------------------------
# the library

HEADER = """@base <https://w3id.org/treatykg/id/> .
@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dct: <http://purl.org/dc/terms/> .
"""

GOOD = HEADER + """
<source/s1> a tkg:SourceRecord ; tkg:url <https://example.org/s1> ; tkg:statusAsOf "2020-01-01"^^xsd:date ;
    dct:title "S1" ; dct:publisher "P" .
<state/AAA> a tkg:State ; tkg:isoAlpha3 "AAA" ; <http://www.w3.org/2000/01/rdf-schema#label> "A" ;
    prov:wasDerivedFrom <source/s1> .
<treaty/t> a tkg:Treaty ; tkg:shortId "T" ; dct:title "T" ; tkg:adoptedOn "1990-01-01"^^xsd:date ;
    prov:wasDerivedFrom <source/s1> .
<act/t/AAA/ratification/1995-01-01> a tkg:Ratification ; tkg:actor <state/AAA> ; tkg:treaty <treaty/t> ;
    tkg:date "1995-01-01"^^xsd:date ; prov:wasDerivedFrom <source/s1> .
"""


def _graph(ttl: str) -> Graph:
    g = Graph()
    g.parse(data=ttl, format="turtle")
    return g


def test_a_complete_small_graph_conforms_with_no_result():
    result = validate(_graph(GOOD))
    assert result.conforms
    assert result.results == [], result.text()
    assert result.text().splitlines()[-1] == "0 violation(s), 0 warning(s), 0 info(s): the graph conforms"


def test_warnings_and_infos_do_not_fail_but_violations_do():
    warn = GOOD + """<treaty/u> a tkg:Treaty ; tkg:shortId "U" ; dct:title "U" ; prov:wasDerivedFrom <source/s1> .
    <act/t/AAA/declaration/undated> a tkg:Declaration ; tkg:actor <state/AAA> ; tkg:treaty <treaty/t> ;
        tkg:datePrecision <https://w3id.org/treatykg/vocab/date-precision/unknown> ; prov:wasDerivedFrom <source/s1> ."""
    result = validate(_graph(warn))
    assert result.conforms
    assert [(f.severity, f.shape_id, short(f.focus)) for f in result.results] == [
        ("Warning", "Treaty_adoptedOnKnown", "id:treaty/u"),
        ("Info", "PartialDate", "id:act/t/AAA/declaration/undated"),
    ]
    bad = warn + """<act/t/AAA/signature/1989-01-01> a tkg:Signature ; tkg:actor <state/AAA> ; tkg:treaty <treaty/t> ;
        tkg:date "1989-01-01"^^xsd:date ; prov:wasDerivedFrom <source/s1> ."""
    result = validate(_graph(bad))
    assert not result.conforms
    assert result.counts() == {"Violation": 1, "Warning": 1, "Info": 1}
    v = result.of("Violation")[0]
    assert (v.shape_id, v.focus, v.value) == ("ActBeforeAdoption", URIRef(ID + "treaty/t"), URIRef(ID + "act/t/AAA/signature/1989-01-01"))
    assert v.message == "id:act/t/AAA/signature/1989-01-01 is dated 1989-01-01, before id:treaty/t was adopted on 1990-01-01 (no signature or consent before adoption)"


def test_text_has_one_line_per_finding_most_severe_first_and_a_summary():
    ttl = GOOD + """<act/t/AAA/signature/1989-01-01> a tkg:Signature ; tkg:treaty <treaty/t> ; tkg:date "1989-01-01"^^xsd:date .
    <act/t/BBB/declaration/1998-11> a tkg:Declaration ; tkg:actor <state/AAA> ; tkg:treaty <treaty/t> ;
        tkg:datePrecision <https://w3id.org/treatykg/vocab/date-precision/month> ; prov:wasDerivedFrom <source/s1> ."""
    result = validate(_graph(ttl))
    lines = result.text().splitlines()
    assert len(lines) == len(result.results) + 1
    assert [line.split()[0] for line in lines[:-1]] == [f.severity for f in result.results]
    ranks = ["Violation", "Warning", "Info"]
    assert [ranks.index(f.severity) for f in result.results] == sorted(ranks.index(f.severity) for f in result.results)
    assert "Violation TreatyAct_actor id:act/t/AAA/signature/1989-01-01: Treaty act does not have exactly one tkg:actor" in result.text()
    assert "Info      PartialDate id:act/t/BBB/declaration/1998-11:" in result.text()
    c = result.counts()
    assert lines[-1] == f"{c['Violation']} violation(s), {c['Warning']} warning(s), {c['Info']} info(s): the graph does not conform"
    assert validate(_graph(ttl)).results == result.results  # deterministic
    assert result.text(limit=1).splitlines()[1] == f"... {len(result.results) - 1} more"


def test_a_dataset_is_validated_as_the_union_of_its_graphs():
    ds = Dataset()
    g = _graph(GOOD)
    sources = ds.graph(URIRef("https://w3id.org/treatykg/graph/sources"))
    facts = ds.graph(URIRef("https://w3id.org/treatykg/graph/facts"))
    for t in g:
        (sources if str(t[0]).startswith(ID + "source/") else facts).add(t)
    result = validate(ds)
    assert result.results == [], result.text()
    facts.remove((URIRef(ID + "source/s1"), None, None))
    ds.remove_graph(sources)
    result = validate(ds)
    assert {f.shape_id for f in result.of("Violation")} == {"AssertedNode_source"}


def test_a_knowledge_graph_gives_the_same_results_as_rdflib(tmp_path):
    from treatykg.kg import load_graph

    shape_id = "ActBeforeAdoption"
    kg = load_graph([FIXTURES / shape_id / "invalid.ttl"], derive=False, use_cache=False)
    from_kg = validate(kg, only=[shape_id])
    from_rdflib = validate(_fixture(shape_id, "invalid.ttl"), only=[shape_id])
    assert from_kg.results == from_rdflib.results
    # one result per act of the fixture's expected.ttl
    assert len(from_kg.results) == len(set(_fixture(shape_id, "expected.ttl").subjects(RDF.type, SH.ValidationResult)))


def test_bad_arguments_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no shape tkgsh:NoSuchShape"):
        validate(_graph(GOOD), only=["NoSuchShape"])
    with pytest.raises(InputError, match="no such shapes file"):
        validate(_graph(GOOD), shapes=[tmp_path / "missing.ttl"])
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path [ .\n")
    with pytest.raises(InputError, match="broken.ttl"):
        validate(_graph(GOOD), shapes=[broken])
    with pytest.raises(TypeError):
        validate("not a graph")


def test_only_the_given_shape_files_are_used():
    core = [p for p in resources.shape_files() if p.name == "core.ttl"]
    ttl = GOOD + """<treaty/u> a tkg:Treaty ; tkg:shortId "U" ; dct:title "U" ; prov:wasDerivedFrom <source/s1> ."""
    assert validate(_graph(ttl), shapes=core).results == []
    assert [f.shape_id for f in validate(_graph(ttl)).results] == ["Treaty_adoptedOnKnown"]


# ---------------------------------------------------------------------------------------
# THE SHIPPED GRAPH (slow: the whole graph/ folder plus the derived status layer)


@pytest.fixture(scope="module")
def validated_kg(request):
    """The graph the conformance test validates: by default every reference, hand-curated,
    UNTC-page and APT fact with its derived layer (0.37M quads: about 10 s to validate); the
    full shipped graph, with the IEADB and 2015 UNTC bulk (3.3M quads: about 2 min), with
    ``TREATYKG_FULL_GRAPH_TESTS=1``."""
    import os

    from treatykg import resources
    from treatykg.kg import load_graph

    if os.environ.get("TREATYKG_FULL_GRAPH_TESTS"):
        return request.getfixturevalue("shipped_kg")
    g = resources.graph_dir()
    return load_graph([g / "reference", g / "curated", g / "untc", g / "apt"], use_cache=False)


def test_shipped_graph_conforms(validated_kg):
    """Every file under graph/ with the derived spans: no sh:Violation. Warnings and infos are
    allowed; the report lists the first violations when it fails."""
    result = validate(validated_kg)
    violations = result.of("Violation")
    assert not violations, "the shipped graph does not conform:\n" + "\n".join(
        f.line() for f in violations[:60]
    ) + f"\n{result.summary()}"
