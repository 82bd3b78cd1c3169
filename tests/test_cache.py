"""The persistent store cache: built once, never stale, never trusted when damaged.

Each test points the package at a small graph of its own (a copy of the derivation fixture)
and at an empty cache folder, so the real shipped graph is never built here.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from treatykg import cache, resources

FIXTURE = Path(__file__).parent / "fixtures" / "derive" / "rules.ttl"
SPANS = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/treatykg/ontology#ProcedureStatus> }"
EXTRA = ('<https://w3id.org/treatykg/id/act/untc-IV-9/DEU/ratification/1990-10-01> a <https://w3id.org/treatykg/ontology#Ratification> ; '
         '<https://w3id.org/treatykg/ontology#actor> <https://w3id.org/treatykg/id/state/DEU> ; '
         '<https://w3id.org/treatykg/ontology#treaty> <https://w3id.org/treatykg/id/treaty/untc-IV-9> ; '
         '<https://w3id.org/treatykg/ontology#date> "1990-10-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n')


@pytest.fixture
def small(tmp_path, monkeypatch):
    graph = tmp_path / "graph"
    graph.mkdir()
    shutil.copy(FIXTURE, graph / "rules.ttl")
    monkeypatch.setattr(resources, "graph_dir", lambda: graph)
    monkeypatch.setenv("TREATYKG_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("TREATYKG_NO_CACHE", raising=False)
    return graph


def _count(kg) -> int:
    return int(kg.select(SPANS, timeout=0).rows[0][0].value)


def _expected(graph: Path) -> int:
    from treatykg.kg import load_graph

    return _count(load_graph([graph], use_cache=False))


def _builds(monkeypatch) -> list:
    calls = []
    real = cache.build

    def counting(path, key=None):
        calls.append(path)
        return real(path, key)

    monkeypatch.setattr(cache, "build", counting)
    return calls


def test_built_once_then_reused(small, monkeypatch):
    calls = _builds(monkeypatch)
    kg = cache.shipped_graph()
    assert len(calls) == 1
    assert _count(kg) == _expected(small) > 0
    again = cache.shipped_graph()
    assert len(calls) == 1  # opened, not rebuilt
    assert _count(again) == _count(kg)
    meta = json.loads((cache.store_dir(cache.cache_key()) / cache.MANIFEST).read_text())
    assert meta["quads"] == len(list(again.store.quads_for_pattern(None, None, None, None)))


def test_a_changed_graph_gets_a_new_store(small, monkeypatch):
    calls = _builds(monkeypatch)
    before = _count(cache.shipped_graph())
    key1 = cache.cache_key()
    with open(small / "rules.ttl", "a") as fh:
        fh.write(EXTRA)
    key2 = cache.cache_key()
    assert key2 != key1
    kg = cache.shipped_graph()
    assert len(calls) == 2
    assert _count(kg) == _expected(small) > before  # the new consent brings new spans


def test_a_touched_but_unchanged_file_keeps_the_store(small, monkeypatch):
    calls = _builds(monkeypatch)
    cache.shipped_graph()
    key = cache.cache_key()
    st = (small / "rules.ttl").stat()
    os.utime(small / "rules.ttl", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert cache.cache_key() == key
    cache.shipped_graph()
    assert len(calls) == 1


def test_a_new_package_version_gets_a_new_store(small, monkeypatch):
    key = cache.cache_key()
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.cache_key() != key
    assert "999.0" in str(cache.store_dir(cache.cache_key()))


def _damage_truncate(path: Path):
    sst = max((path / "store").glob("*.sst"), key=lambda f: f.stat().st_size)
    data = sst.read_bytes()
    sst.write_bytes(data[: len(data) // 2])


def _damage_manifest(path: Path):
    (path / cache.MANIFEST).write_text("{ not json")


def _damage_missing_manifest(path: Path):
    (path / cache.MANIFEST).unlink()


def _damage_delete_file(path: Path):
    next((path / "store").glob("*.sst")).unlink()


def _damage_garbage(path: Path):
    sst = max((path / "store").glob("*.sst"), key=lambda f: f.stat().st_size)
    st = sst.stat()
    data = bytearray(sst.read_bytes())
    data[: len(data)] = b"\0" * len(data)  # same size, contents gone
    sst.write_bytes(bytes(data))
    os.utime(sst, ns=(st.st_atime_ns, st.st_mtime_ns))  # even with the old time stamp


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_manifest, _damage_missing_manifest, _damage_delete_file])
def test_a_damaged_store_is_detected_and_rebuilt(small, monkeypatch, damage):
    calls = _builds(monkeypatch)
    want = _count(cache.shipped_graph())
    path = cache.store_dir(cache.cache_key())
    damage(path)
    assert cache.check(path, cache.cache_key()) is None
    kg = cache.shipped_graph()
    assert len(calls) == 2
    assert _count(kg) == want
    assert cache.check(path, cache.cache_key()) is not None


def test_zeroed_contents_with_the_old_timestamp_are_not_trusted(small, monkeypatch):
    """A file overwritten in place (same size and time): the sample quads or RocksDB's own
    checks refuse it."""
    calls = _builds(monkeypatch)
    want = _count(cache.shipped_graph())
    path = cache.store_dir(cache.cache_key())
    _damage_garbage(path)
    kg = cache.shipped_graph()
    assert len(calls) == 2 and _count(kg) == want


def test_an_unwritable_cache_falls_back_to_memory(small, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TREATYKG_CACHE", str(blocker / "cache"))
    kg = cache.shipped_graph()
    assert _count(kg) == _expected(small)


_WORKER = """
import os, sys
from pathlib import Path
from treatykg import cache, resources
graph, log = Path(sys.argv[1]), sys.argv[2]
resources.graph_dir = lambda: graph
real = cache.build
def logging_build(path, key=None):
    with open(log, "a") as fh:
        fh.write(f"{os.getpid()}\\n")
    return real(path, key)
cache.build = logging_build
kg = cache.shipped_graph()
q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/treatykg/ontology#ProcedureStatus> }"
print(kg.select(q, timeout=0).rows[0][0].value)
"""


def test_concurrent_first_use_builds_once(small, tmp_path):
    import subprocess
    import sys

    log = tmp_path / "builds.log"
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(small), str(log)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-500:] for o in outs]
    answers = {int(o[0].strip()) for o in outs}
    assert answers == {_expected(small)}
    assert len(log.read_text().split()) == 1  # one built, the others waited and opened it


def test_old_stores_are_pruned(small, monkeypatch):
    cache.shipped_graph()
    for i in range(cache.KEEP + 2):
        with open(small / "rules.ttl", "a") as fh:
            fh.write(f"# change {i}\n")
        cache.shipped_graph()
    stores = list(resources.cache_dir().glob(f"*/*/{cache.MANIFEST}"))
    assert len(stores) == cache.KEEP
    assert cache.open_store() is not None  # the current one is kept


def test_build_leaves_a_store_that_reading_commands_open(small, monkeypatch, tmp_path):
    """``treatykg build`` loads the store in a child process while it validates and writes the
    dumps; afterwards a reading command opens it without building."""
    from treatykg.build import build

    summary = build(tmp_path / "out", validate=False)
    assert summary.cache_warmed is True, summary.cache_error
    assert "store for reading commands: ready" in summary.text()
    calls = _builds(monkeypatch)
    kg = cache.shipped_graph()
    assert calls == []
    assert _count(kg) == _expected(small) > 0
    assert not list(resources.cache_dir().glob("*/.building-*"))  # nothing left half-built


def test_a_failed_store_load_is_reported_and_leaves_nothing(small, monkeypatch, tmp_path):
    from treatykg.build import build

    monkeypatch.setattr(cache.sys, "executable", str(tmp_path / "no-such-python"))
    summary = build(tmp_path / "out", validate=False)
    assert summary.cache_warmed is False and "no-such-python" in summary.cache_error
    assert "the first reading command builds it" in summary.text()
    assert [f.name for f in summary.files] == ["treatykg.trig", "treatykg.ttl", "treatykg.nt"]
    assert cache.open_store() is None
    assert not list(resources.cache_dir().glob("*/.building-*"))


def test_write_store_keeps_every_quad_through_the_compaction(tmp_path):
    """The child's bulk load and compaction (:func:`cache.write_store`) give a store with exactly
    the quads of the dump, named graphs included."""
    import pyoxigraph as ox

    from treatykg.kg import load_graph

    kg = load_graph([FIXTURE.parent], use_cache=False)
    dump = tmp_path / "all.nq"
    kg.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    steps = cache.write_store(str(dump), str(tmp_path / "store"))
    assert set(steps) == {"load", "compact"}
    store = ox.Store.read_only(str(tmp_path / "store"))
    expected = set(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS))
    assert set(store) == expected and len(expected) > 100


def test_pruning_removes_old_lock_files_of_stores_that_are_gone(small):
    cache.shipped_graph()
    root = resources.cache_dir()
    current = next(root.glob(f"*/*/{cache.MANIFEST}")).parent
    version = current.parent
    stale = version / "0123456789abcdef01234567.lock"  # a store long gone
    recent = version / "fedcba9876543210fedcba98.lock"  # a build that may be under way
    for f in (stale, recent):
        f.touch()
    old = time.time() - 7 * 3600
    os.utime(stale, (old, old))
    os.utime(current.with_suffix(".lock"), (old, old))  # old, but its store is there
    cache.prune()
    assert not stale.exists()
    assert recent.exists() and current.with_suffix(".lock").exists()


def test_the_built_store_holds_the_graph_quad_for_quad(small, tmp_path):
    """``treatykg build`` feeds the store in two stages (the asserted graph while it derives,
    then the derived layer): the result is the graph the reading commands would load, every
    named graph and the union in the default graph, nothing more."""
    import pyoxigraph as ox

    from treatykg.build import build
    from treatykg.kg import load_graph

    summary = build(tmp_path / "out", validate=False)
    assert summary.cache_warmed is True, summary.cache_error
    stored = set(cache.shipped_graph().store)
    expected = set(load_graph([small], use_cache=False).store)
    assert stored == expected
    assert any(isinstance(q.graph_name, ox.DefaultGraph) for q in stored)
    assert {q.graph_name.value for q in stored if isinstance(q.graph_name, ox.NamedNode)} >= {
        "https://w3id.org/treatykg/graph/derived", "https://w3id.org/treatykg/graph/derived/procedure-status"}


def test_a_graph_with_blank_nodes_is_stored_in_one_load(small, tmp_path):
    """Each bulk load gives blank nodes new identities, so a graph that has them is stored
    from one dump: the named graph and the default graph share the node."""
    import pyoxigraph as ox

    from treatykg.build import build

    (small / "blank.ttl").write_text(
        "<https://w3id.org/treatykg/id/treaty/untc-IV-9> <http://purl.org/dc/terms/relation> [ "
        "<http://www.w3.org/2000/01/rdf-schema#label> \"a node without an IRI\" ] .\n"
        # many typed blank nodes, so that the manifest's sample quads would meet them
        + "".join(f"[] a <https://w3id.org/treatykg/ontology#Treaty> ; <http://www.w3.org/2000/01/rdf-schema#comment> \"{i}\" .\n"
                  for i in range(300)))
    summary = build(tmp_path / "out", validate=False)
    assert summary.cache_warmed is True, summary.cache_error
    assert cache.open_store() is not None  # the manifest's samples hold no blank node
    store = cache.shipped_graph().store
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    nodes = {q.subject for q in store.quads_for_pattern(None, label, ox.Literal("a node without an IRI"), None)}
    assert len(nodes) == 1 and isinstance(next(iter(nodes)), ox.BlankNode)


def test_a_data_file_in_a_derived_graph_does_not_leave_its_content_in_the_store(small, tmp_path):
    """The derivation rewrites graph/derived/...: a data file that already writes into one of
    them must not have its old content in the store in place of the derived one."""
    from treatykg.build import build
    from treatykg.kg import load_graph

    (small / "stale.trig").write_text(
        "<https://w3id.org/treatykg/graph/derived/procedure-status> { <urn:x:s> <urn:x:p> <urn:x:o> . }\n")
    summary = build(tmp_path / "out", validate=False)
    assert summary.cache_warmed is True, summary.cache_error
    assert set(cache.shipped_graph().store) == set(load_graph([small], use_cache=False).store)


def test_a_store_fed_half_way_is_not_kept(small):
    """The child compacts and ends only on the builder's last instruction: a builder that
    stops after the asserted graph leaves no store, no temporary folder, and a reason."""
    from treatykg.kg import load_asserted

    pending = cache.start_staged(load_asserted([small]))
    assert pending.wait() is False and "ended before the last instruction" in pending.error
    assert cache.open_store() is None
    assert not list(resources.cache_dir().glob("*/.building-*"))


def test_sample_quads_never_hold_a_blank_node(tmp_path):
    """The manifest's sample quads are looked up in the built store; a bulk load renames blank
    nodes, so a sample holding one would make every check fail and the store be rebuilt."""
    import pyoxigraph as ox

    mem = ox.Store()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for i in range(150):
        mem.add(ox.Quad(ox.BlankNode(), rdf_type, ox.NamedNode("https://w3id.org/treatykg/ontology#Treaty")))
        mem.add(ox.Quad(ox.NamedNode(f"https://w3id.org/treatykg/id/treaty/t{i}"), rdf_type,
                        ox.NamedNode("https://w3id.org/treatykg/ontology#Treaty")))
    samples = cache._samples(mem)
    assert samples and "_:" not in samples
    dump = tmp_path / "all.nq"
    mem.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    cache.write_store(str(dump), str(tmp_path / "store"))
    disk = ox.Store.read_only(str(tmp_path / "store"))
    assert all(q in disk for q in ox.parse(input=samples.encode(), format=ox.RdfFormat.N_QUADS))


def test_a_cache_folder_with_spaces_and_accents_whatever_the_childs_encoding(small, tmp_path, monkeypatch):
    """The builder sends file paths to the child as the file system's bytes, so neither spaces
    nor non-ASCII letters in the cache folder, nor the child's text encoding, matter."""
    from treatykg.build import build
    from treatykg.kg import load_graph

    monkeypatch.setenv("TREATYKG_CACHE", str(tmp_path / "ca ché  ß"))
    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")  # the child's stdin would decode otherwise
    summary = build(tmp_path / "out", validate=False)
    assert summary.cache_warmed is True, summary.cache_error
    assert set(cache.shipped_graph().store) == set(load_graph([small], use_cache=False).store)
