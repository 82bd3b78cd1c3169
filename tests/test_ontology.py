"""The ontology describes itself fully, and code, queries and data use only its terms."""

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from treatykg import resources
from treatykg.terms import TERMS, TKG_NS

ONTOLOGY = rdflib.URIRef("https://w3id.org/treatykg/ontology")


@pytest.fixture(scope="module")
def onto():
    g = rdflib.Graph()
    for f in resources.ontology_files():
        g.parse(f)
    return g


def declared_terms(g):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s)[len(TKG_NS):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(TKG_NS)}


def test_exactly_one_versioned_ontology(onto):
    assert list(onto.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY]
    assert onto.value(ONTOLOGY, OWL.versionIRI) is not None


def test_python_namespace_matches_ontology(onto):
    assert set(TERMS) == declared_terms(onto)


def test_every_term_is_labelled_defined_and_attributed(onto):
    missing = []
    for t in sorted(declared_terms(onto)):
        s = rdflib.URIRef(TKG_NS + t)
        if onto.value(s, RDFS.label) is None or onto.value(s, SKOS.definition) is None or onto.value(s, RDFS.isDefinedBy) != ONTOLOGY:
            missing.append(t)
    assert missing == []


def test_every_concept_is_in_a_labelled_scheme(onto):
    bad = [c for c in onto.subjects(RDF.type, SKOS.Concept)
           if onto.value(c, SKOS.prefLabel) is None or onto.value(c, SKOS.definition) is None
           or (onto.value(c, SKOS.inScheme), RDF.type, SKOS.ConceptScheme) not in onto]
    assert bad == []


def _used_terms(text):
    return set(re.findall(r"(?:tkg:|<https://w3id\.org/treatykg/ontology#)([A-Za-z]+)", text))


def test_queries_and_code_use_only_declared_terms(onto):
    declared = declared_terms(onto)
    used = {}
    files = list(resources.queries_dir().glob("*.rq")) + list(Path(resources.__file__).parent.rglob("*.py"))
    for f in files:
        for t in _used_terms(f.read_text(encoding="utf-8")) - declared:
            used.setdefault(t, []).append(f.name)
    assert used == {}


def test_graph_data_uses_only_declared_terms_and_concepts(onto, shipped_kg):
    declared = {TKG_NS + t for t in declared_terms(onto)}
    concepts = {str(c) for k in (SKOS.Concept, SKOS.ConceptScheme) for c in onto.subjects(RDF.type, k)}
    concepts.add("https://w3id.org/treatykg/vocab")
    rows = shipped_kg.select("""SELECT DISTINCT ?p ?o WHERE { ?s ?p ?o
        FILTER(STRSTARTS(STR(?p), "https://w3id.org/treatykg/ontology#") || (?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> && STRSTARTS(STR(?o), "https://w3id.org/treatykg/ontology#")) || (isIRI(?o) && STRSTARTS(STR(?o), "https://w3id.org/treatykg/vocab/"))) }""").dicts()
    unknown = set()
    for r in rows:
        for v in (r["p"], r["o"]):
            v = str(v)
            if v.startswith(TKG_NS) and v not in declared:
                unknown.add(v)
            if v.startswith("https://w3id.org/treatykg/vocab/") and v not in concepts:
                unknown.add(v)
    assert unknown == set()
