"""`treatykg build`: re-import every source (in parallel), derive, validate, write the dumps.

The shipped graph takes minutes to build, so these tests build a graph imported from the small
importer fixtures laid out like the shared data folder; the mechanism is the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from treatykg import importers
from treatykg.build import build
from treatykg.cli import main
from treatykg.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
TKG = "https://w3id.org/treatykg/ontology#"

# where each importer's fixture goes in a folder laid out like ../shared/data
LAYOUT = {
    "ieadb": FIXTURES / "ieadb",
    "untc": FIXTURES / "untc" / "iccpr_op1_excerpt.html",
    "untc-csv": FIXTURES / "untc_csv",
    "apt": FIXTURES / "apt",
}


@pytest.fixture()
def data_dir(tmp_path):
    data = tmp_path / "shared-data"
    for source, fixture in LAYOUT.items():
        target = data / importers.SHARED_INPUT[source]
        if fixture.is_dir():
            shutil.copytree(fixture, target)
        else:
            target.mkdir(parents=True)
            shutil.copy(fixture, target / fixture.name)
    return data


def test_every_source_is_imported_into_its_folder_with_a_report(data_dir, tmp_path):
    graph = tmp_path / "graph"
    reports = importers.import_all(data_dir, graph, workers=2)
    assert sorted(r.source for r in reports) == sorted(importers.SHARED_INPUT)
    for r in reports:
        folder = graph / importers.DEFAULT_FOLDER[r.source]
        assert r.written and all(p.parent == folder for p in r.written)
        report_file = folder / importers.REPORT_NAME
        assert report_file.read_text(encoding="utf-8") == r.text() + "\n"
        # the same output as the importer run on its own, byte for byte
        alone = tmp_path / "alone" / r.source
        importers.get(r.source)([data_dir / importers.SHARED_INPUT[r.source]], alone)
        for p in r.written:
            assert p.read_bytes() == (alone / p.name).read_bytes(), p


def test_a_missing_source_is_an_error_naming_it(data_dir, tmp_path):
    shutil.rmtree(data_dir / importers.SHARED_INPUT["apt"])
    with pytest.raises(InputError, match="apt-torture-prevention-2024"):
        importers.import_all(data_dir, tmp_path / "graph")
    assert not (tmp_path / "graph").exists() or not any((tmp_path / "graph").rglob("*.trig"))


def test_build_imports_derives_validates_and_dumps(data_dir, tmp_path):
    graph, out = tmp_path / "graph", tmp_path / "out"
    summary = build(out, import_from=data_dir, graph_dir=graph)
    assert {"import", "load and derive", "validate", "dumps"} <= set(summary.seconds)
    assert summary.conforms is not None and summary.report
    assert [f.name for f in summary.files] == ["treatykg.trig", "treatykg.ttl", "treatykg.nt"]
    # the dumps hold what was imported and derived: the same signatures, and the derived spans
    imported = ox.Store()
    for f in graph.rglob("*.trig"):
        imported.load(path=str(f), format=ox.RdfFormat.TRIG)
    signatures = {q.subject for q in imported.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(TKG + "Signature"))}
    assert signatures
    for f in summary.files:
        g = rdflib.Dataset(default_union=True) if f.suffix == ".trig" else rdflib.Graph()
        g.parse(f)
        subjects = {str(s) for s in g.subjects(rdflib.RDF.type, rdflib.URIRef(TKG + "Signature"))}
        assert subjects == {s.value for s in signatures}, f
        assert any(True for _ in g.subjects(rdflib.RDF.type, rdflib.URIRef(TKG + "PartyStatus"))), f


def test_cli_build_import_from_a_missing_folder(tmp_path, capsys):
    code = main(["build", "--import", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")])
    assert code == 2
    assert "nowhere" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_dumps_are_deterministic_and_agree(data_dir, tmp_path):
    graph = tmp_path / "graph"
    first = build(tmp_path / "one", import_from=data_dir, graph_dir=graph, validate=False)
    second = build(tmp_path / "two", graph_dir=graph, validate=False)
    for a, b in zip(first.files, second.files):
        assert a.name == b.name and a.read_bytes() == b.read_bytes(), a.name
    dumped = {f.suffix: f for f in first.files}
    quads = list(ox.parse(path=str(dumped[".trig"]), format=ox.RdfFormat.TRIG))
    # the TriG keeps every triple in the named graph of its source, nothing in the default graph
    assert quads and all(isinstance(q.graph_name, ox.NamedNode) for q in quads)
    assert len({q.graph_name for q in quads}) > 3
    # the flat dumps are the merge of those named graphs, each triple once
    merged = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    for suffix, fmt in ((".nt", ox.RdfFormat.N_TRIPLES), (".ttl", ox.RdfFormat.TURTLE)):
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(dumped[suffix]), format=fmt)]
        assert len(triples) == len(set(triples)) and set(triples) == merged, suffix
