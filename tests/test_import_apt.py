"""The APT indicator importer (``treatykg.importers.apt``)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from treatykg import iri, names, resources
from treatykg.importers import apt

# rdflib's TriG parser uses its own deprecated ConjunctiveGraph internally
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

TKG = rdflib.Namespace("https://w3id.org/treatykg/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
FIXTURES = Path(__file__).parent / "fixtures" / "apt"
FILE = "APT_data_cleaned.csv"
GRAPH = iri.named_graph("apt/torture-prevention-indicators/2024-12-02")
RECORD = iri.source("apt/torture-prevention-indicators/2024-12-02")
CAT_LABEL = "Ratification of the UN Convention against Torture"
OPCAT_LABEL = "Ratification of Optional Protocol (OPCAT)"
REPORT_LABEL = "Submission of initial report to CAT"


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD_DATE)


def prec(p: str) -> URIRef:
    return iri.vocab("date-precision", p)


def load(path: Path) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(path, format="trig")
    return ds


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    out = tmp_path_factory.mktemp("apt-fx")
    report = apt.run([FIXTURES], out)
    return report, out, load(out / "apt.trig").graph(GRAPH)


def test_one_graph_with_its_source_record(fx):
    _, out, g = fx
    ds = load(out / "apt.trig")
    assert {x.identifier for x in ds.graphs() if len(x)} == {GRAPH}
    assert (RECORD, RDF.type, TKG.SourceRecord) in g
    assert (RECORD, TKG.statusAsOf, day("2024-12-02")) in g
    assert "coriander31415/APT_VFSG" in str(g.value(RECORD, TKG.url))


def test_cat_ratification_year_is_a_year_precise_consent(fx):
    _, _, g = fx
    node = iri.act("untc-IV-9", "RUS", "consent-to-be-bound", "1987")
    assert (node, RDF.type, TKG.ConsentToBeBound) in g
    assert (node, TKG.actor, iri.state("RUS")) in g and (node, TKG.treaty, iri.treaty("untc-IV-9")) in g
    assert (node, TKG.datePrecision, prec("year")) in g
    assert (node, TKG.dateEarliest, day("1987-01-01")) in g and (node, TKG.dateLatest, day("1987-12-31")) in g
    assert g.value(node, TKG.date) is None  # no day taken from "-01-01"
    assert (node, TKG.confidence, iri.vocab("confidence", "medium")) in g
    assert (node, PROV.wasDerivedFrom, RECORD) in g
    assert str(g.value(node, TKG.sourceLocator)) == f"{FILE} row for Russia, indicator {CAT_LABEL!r}"
    assert (iri.act("untc-IV-9-b", "DNK", "consent-to-be-bound", "2004"), RDF.type, TKG.ConsentToBeBound) in g


def test_input_zero_makes_no_fact(fx):
    report, _, g = fx
    opcat_actors = {g.value(a, TKG.actor) for a in g.subjects(TKG.treaty, iri.treaty("untc-IV-9-b"))}
    assert opcat_actors == {iri.state("DNK")}  # Russia's OPCAT row has input 0
    assert not list(g.subjects(TKG.actor, iri.state("BRB")))  # Barbados: CAT input 0
    assert report.counts["no fact: input 0"] == 2


def test_initial_report_is_a_state_report_document(fx):
    _, _, g = fx
    doc = iri.document("un-cat", "initial-report-RUS")
    assert (doc, RDF.type, TKG.MonitoringDocument) in g
    assert (doc, TKG.documentType, iri.vocab("document-type", "state-report")) in g
    assert (doc, TKG.issuedBy, iri.state("RUS")) in g and (doc, TKG.concernsState, iri.state("RUS")) in g
    assert (doc, TKG.underProcedure, iri.procedure("untc-IV-9", "state-reporting")) in g
    assert (doc, TKG.publishedOnEarliest, day("1988-01-01")) in g
    assert (doc, TKG.publishedOnLatest, day("1988-12-31")) in g
    assert (doc, TKG.publishedOnPrecision, prec("year")) in g
    undated = iri.document("un-cat", "initial-report-DNK")  # Input 1, no date
    assert (undated, TKG.publishedOnPrecision, prec("unknown")) in g
    assert g.value(undated, TKG.publishedOnEarliest) is None


def test_names_with_quirks_resolve_and_keep_the_source_spelling(fx):
    _, _, g = fx
    assert (iri.act("untc-IV-9", "SYR", "consent-to-be-bound", "2004"), RDF.type, TKG.ConsentToBeBound) in g
    assert (iri.state("SWZ"), rdflib.namespace.SKOS.altLabel, Literal("Swaziland")) in g
    assert (iri.state("RUS"), TKG.isoAlpha3, Literal("RUS")) in g


@pytest.mark.parametrize(
    "element, reason_part",
    [
        (f"row for Atlantis, indicator {CAT_LABEL!r}", "does not resolve"),
        (f"row for Chile, indicator {CAT_LABEL!r}", "partial"),
        (f"row for Peru, indicator {CAT_LABEL!r}", "input is not"),
        (f"row for Cuba, indicator {CAT_LABEL!r}", "date is not"),
        ("row for France, indicator 'Number of prison visits'", "does not know"),
        (f"row for Norway, indicator {CAT_LABEL!r}", "truncated"),
        ("indicator 'Designation of the National Preventive Mechanism (in law)'", "no term"),
        ("indicator 'Operationality of the National Preventive Mechanism'", "no term"),
        ("indicator 'Prohibition of torture in the constitution'", "no term"),
    ],
)
def test_bad_input_is_skipped_with_file_element_and_reason(fx, element, reason_part):
    report, _, _ = fx
    reasons = [s.reason for s in report.skipped if s.file == FILE and s.element.startswith(element)]
    assert reasons and any(reason_part in r for r in reasons), (element, reasons)


def test_unsupported_indicators_give_one_counted_line_each(fx):
    report, _, _ = fx
    lines = [s for s in report.skipped if "no term" in s.reason]
    assert len(lines) == 3
    assert report.counts["rows of unsupported indicators"] == 4
    npm = next(s for s in lines if "Operationality" in s.element)
    assert "(2 rows)" in npm.element and "empty: 1" in npm.reason and "input 1: 1" in npm.reason


def test_reimport_is_identical(fx, tmp_path):
    _, out, g = fx
    apt.run([FIXTURES], tmp_path)
    assert (tmp_path / "apt.trig").read_bytes() == (out / "apt.trig").read_bytes()
    assert isomorphic(load(tmp_path / "apt.trig").graph(GRAPH), g)


# ---------------------------------------------------------------------------------------
# the real file


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    data = resources.shared_data_dir()
    if data is None or not (data / "apt-torture-prevention-2024" / FILE).is_file():
        pytest.skip("shared data folder (../shared/data/apt-torture-prevention-2024) not present")
    out = tmp_path_factory.mktemp("apt-real")
    folder = data / "apt-torture-prevention-2024"
    with open(folder / FILE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return rows, apt.run([folder], out), out


def _count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def test_real_counts_match_the_csv(real):
    rows, report, out = real
    store = ox.Store()
    store.load(path=str(out / "apt.trig"), format=ox.RdfFormat.TRIG)
    yes = Counter(r["Indicator"].strip() for r in rows if r["Input"].strip() == "1.0")
    skipped = Counter(s.element.split("indicator ", 1)[1].strip("'") for s in report.skipped if s.element.startswith("row for "))
    for label, treaty in ((CAT_LABEL, "untc-IV-9"), (OPCAT_LABEL, "untc-IV-9-b")):
        n = _count(store, f"SELECT (COUNT(?a) AS ?n) WHERE {{ GRAPH ?g {{ ?a a <{TKG.ConsentToBeBound}> ; "
                          f"<{TKG.treaty}> <{iri.treaty(treaty)}> }} }}")
        assert n + skipped[label] == yes[label], label
    docs = _count(store, f"SELECT (COUNT(?d) AS ?n) WHERE {{ GRAPH ?g {{ ?d a <{TKG.MonitoringDocument}> }} }}")
    assert docs + skipped[REPORT_LABEL] == yes[REPORT_LABEL]
    zero = sum(1 for r in rows if r["Input"].strip() == "0.0" and r["Indicator"].strip() in (CAT_LABEL, OPCAT_LABEL, REPORT_LABEL))
    assert report.counts.get("no fact: input 0", 0) == zero
    unsupported = sum(1 for r in rows if r["Indicator"].strip() not in (CAT_LABEL, OPCAT_LABEL, REPORT_LABEL))
    assert report.counts["rows of unsupported indicators"] == unsupported


def test_real_russia_matches_its_rows(real):
    rows, _, out = real
    g = load(out / "apt.trig").graph(GRAPH)
    mine = {r["Indicator"].strip(): r for r in rows if names.resolve(r["Country"]) and names.resolve(r["Country"]).code == "RUS"}
    cat = mine[CAT_LABEL]
    year = cat["Date"][:4]
    node = iri.act("untc-IV-9", "RUS", "consent-to-be-bound", year)
    assert cat["Input"] == "1.0" and (node, TKG.dateEarliest, day(f"{year}-01-01")) in g
    opcat_actors = {g.value(a, TKG.actor) for a in g.subjects(TKG.treaty, iri.treaty("untc-IV-9-b"))}
    assert (iri.state("RUS") in opcat_actors) == (mine[OPCAT_LABEL]["Input"] == "1.0")
    rep = mine[REPORT_LABEL]
    doc = iri.document("un-cat", "initial-report-RUS")
    assert ((doc, RDF.type, TKG.MonitoringDocument) in g) == (rep["Input"] == "1.0")
    if rep["Input"] == "1.0":
        assert (doc, TKG.publishedOnEarliest, day(f"{rep['Date'][:4]}-01-01")) in g


def test_real_reimport_is_identical(real, tmp_path):
    rows, _, out = real
    apt.run([resources.shared_data_dir() / "apt-torture-prevention-2024"], tmp_path)
    assert (tmp_path / "apt.trig").read_bytes() == (out / "apt.trig").read_bytes()
    assert isomorphic(load(tmp_path / "apt.trig").graph(GRAPH), load(out / "apt.trig").graph(GRAPH))
