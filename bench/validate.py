"""Validation benchmark (run by hand): engine x (fixtures, shipped graph, peak memory).

    python bench/validate.py [--engines sparql,pyshacl,pyrudof] [--skip-shipped] [--workers N]

Engines:

* ``sparql``: :func:`treatykg.validate.validate` with ``engine="sparql"`` (the default);
* ``pyshacl``: the same function with ``engine="pyshacl"`` (the reference: ratios are
  against it);
* ``pyrudof``: rudof's native SHACL engine (``pip install pyrudof``; not a dependency) on the
  *core* shapes only (the shapes without ``sh:sparql``, which treatykg evaluates itself with
  either engine): the data graph is dumped as N-Triples and read into rudof, then validated.
  Its results are compared with pySHACL's on the same core shapes.

Each (engine, workload) pair runs in a fresh Python process, so its peak memory (maximum RSS)
is its own. Workloads: every shape fixture (``tests/fixtures/shapes/<Shape>/{valid,invalid}.ttl``,
each validated against its own shape), and the shipped graph (the cached store of
:func:`treatykg.kg.load_graph`, opened before the clock starts). The results of each run are
compared with pySHACL's: the multiset of (focus node, shape, severity, path, constraint
component, value, message) for ``sparql``; (focus node, shape, constraint component) for
``pyrudof``, which reports values in another form. Peak memory is the largest of the process
and its worker processes. The machine's load average before each run is printed with it
(other jobs on the machine slow a run down). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
TKGSH = "https://w3id.org/treatykg/shapes#"


def rss_mb() -> float:
    """Peak RSS of this process or of its largest child (the sparql engine's workers)."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


# ---------------------------------------------------------------------------------------
# children: one engine, one workload, results to a JSON file


def _ours(engine: str, workload: str, workers: int | None) -> dict:
    from rdflib import BNode, Graph

    from treatykg.kg import load_graph
    from treatykg.validate import validate

    def n3(term) -> str:  # blank nodes are relabelled per parse: compare them as one
        return "" if term is None else "_:b" if isinstance(term, BNode) else term.n3()

    def keys(result):
        return [[n3(f.focus), str(f.shape), f.severity, f.path or "", str(f.component), n3(f.value),
                 f.message if not isinstance(f.focus, BNode) else ""] for f in result.results]

    if workload == "fixtures":
        graphs = [(d.name, Graph().parse(d / n)) for d in sorted(FIXTURES.iterdir()) if d.is_dir()
                  for n in ("valid.ttl", "invalid.ttl")]
        t = time.perf_counter()
        out = []
        for shape, g in graphs:
            out += keys(validate(g, only=[shape], engine=engine, workers=workers))
        return {"seconds": time.perf_counter() - t, "runs": len(graphs), "results": out}
    kg = load_graph()
    t = time.perf_counter()
    result = validate(kg, engine=engine, workers=workers)
    return {"seconds": time.perf_counter() - t, "quads": len(kg), "results": keys(result)}


def _rudof(workload: str) -> dict:
    import pyoxigraph as ox
    import pyrudof
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    from treatykg import resources
    from treatykg.kg import load_graph
    from treatykg.validate import shapes_graph

    sg = shapes_graph()
    onto_store = ox.Store()
    for f in resources.ontology_files():
        onto_store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    ontology = onto_store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode()

    def shapes_nt(shapes) -> str:
        g = Graph()
        for s in shapes:
            g += sg.cbd(s)
        return g.serialize(format="nt")

    def report(r) -> list:
        store = ox.Store()
        store.load(r.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.NTriples).encode(),
                   format=ox.RdfFormat.N_TRIPLES)
        q = ("SELECT ?f ?s ?c WHERE { ?r <http://www.w3.org/ns/shacl#focusNode> ?f ; "
             "<http://www.w3.org/ns/shacl#sourceShape> ?s ; <http://www.w3.org/ns/shacl#sourceConstraintComponent> ?c }")
        return [[str(row["f"]), row["s"].value, row["c"].value] for row in store.query(q)]

    core = sorted(s for s in set(sg.subjects(SH.path, None)) | set(sg.subjects(SH.targetClass, None))
                  | set(sg.subjects(SH.targetSubjectsOf, None)) | set(sg.subjects(SH.targetObjectsOf, None))
                  if isinstance(s, URIRef) and (s, SH.sparql, None) not in sg)
    if workload == "fixtures":
        runs = [(d.name, d / n) for d in sorted(FIXTURES.iterdir()) if d.is_dir() and URIRef(TKGSH + d.name) in core
                for n in ("valid.ttl", "invalid.ttl")]
        t = time.perf_counter()
        out, errors = [], 0
        for shape, path in runs:
            r = pyrudof.Rudof(pyrudof.RudofConfig())
            r.read_shacl(shapes_nt([URIRef(TKGSH + shape)]), format=pyrudof.ShaclFormat.NTriples)
            r.read_data(path.read_text(), format=pyrudof.RDFFormat.Turtle)
            r.read_data(ontology, format=pyrudof.RDFFormat.NTriples, merge=True)
            try:
                r.validate_shacl()
            except Exception:  # noqa: BLE001 - count and go on
                errors += 1
                continue
            out += report(r)
        return {"seconds": time.perf_counter() - t, "runs": len(runs), "errors": errors, "results": out}
    kg = load_graph()
    t = time.perf_counter()
    nt = kg.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode()
    r = pyrudof.Rudof(pyrudof.RudofConfig())
    r.read_shacl(shapes_nt(core), format=pyrudof.ShaclFormat.NTriples)
    r.read_data(nt, format=pyrudof.RDFFormat.NTriples)
    del nt
    loaded = time.perf_counter() - t
    r.validate_shacl()
    return {"seconds": time.perf_counter() - t, "load_seconds": loaded, "quads": len(kg), "results": report(r)}


def child(engine: str, workload: str, out: Path, workers: int | None) -> None:
    import logging
    import warnings

    logging.disable(logging.CRITICAL)  # rdflib logs every ill-typed literal of the fixtures
    warnings.simplefilter("ignore")
    data = _rudof(workload) if engine == "pyrudof" else _ours(engine, workload, workers)
    data["rss_mb"] = rss_mb()
    out.write_text(json.dumps(data))


# ---------------------------------------------------------------------------------------
# parent: run the children, compare, print


def run_child(engine: str, workload: str, workers: int | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [sys.executable, __file__, "--child", engine, workload, str(out)]
        if workers is not None:
            cmd += ["--workers", str(workers)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not out.exists():
            return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
        return json.loads(out.read_text())


def compare(engine: str, got: dict, ref: dict | None) -> str:
    if ref is None or "results" not in got or "results" not in ref:
        return "–"
    if engine == "pyrudof":
        theirs = Counter((r[0], r[1], r[4]) for r in ref["results"] if "SPARQL" not in r[4])
        ours = Counter(tuple(r) for r in got["results"])
        # rudof prints literals differently; compare focus, shape and component only
        same = sum((theirs & ours).values())
        note = f"{same} of {sum(theirs.values())} pySHACL core results; {sum((ours - theirs).values())} others"
        return note + (f"; {got['errors']} run(s) failed" if got.get("errors") else "")
    a, b = Counter(map(tuple, got["results"])), Counter(map(tuple, ref["results"]))
    return "identical" if a == b else f"DIFFERENT: {sum((a - b).values())} extra, {sum((b - a).values())} missing"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="sparql,pyshacl,pyrudof")
    ap.add_argument("--skip-shipped", action="store_true", help="fixtures only")
    ap.add_argument("--workers", type=int, default=None, help="worker processes for the treatykg engines (default 2)")
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "WORKLOAD", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]), args.workers)
        return 0
    engines = [e for e in args.engines.split(",") if e]
    if "pyshacl" in engines:  # the reference runs first
        engines.remove("pyshacl")
        engines.insert(0, "pyshacl")
    workloads = ["fixtures"] + ([] if args.skip_shipped else ["shipped"])
    runs: dict[tuple[str, str], dict] = {}
    for workload in workloads:
        for engine in engines:
            load = os.getloadavg()[0]
            print(f"running {engine} on {workload} (load average {load:.2f}) ...", file=sys.stderr, flush=True)
            runs[engine, workload] = run_child(engine, workload, args.workers)
            runs[engine, workload]["load"] = load

    import pyoxigraph
    import pyshacl

    versions = f"pySHACL {pyshacl.__version__}, pyoxigraph {pyoxigraph.__version__}"
    try:
        import pyrudof

        versions += f", pyrudof {pyrudof.__version__}"
    except ImportError:
        pass
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores; Python {platform.python_version()}, {versions}\n")
    print("| engine | workload | time | pySHACL time / time | peak memory | results | same as pySHACL? | load before |")
    print("|---|---|---:|---:|---:|---:|---|---:|")
    for workload in workloads:
        ref = runs.get(("pyshacl", workload))
        for engine in engines:
            r = runs[engine, workload]
            if "error" in r:
                print(f"| {engine} | {workload} | failed: {r['error']} | | | | | |")
                continue
            what = f"{r['runs']} validations" if workload == "fixtures" else f"{r['quads']:,} quads"
            ratio = f"{ref['seconds'] / r['seconds']:.1f}x" if ref and "seconds" in ref and engine != "pyshacl" else ""
            extra = f" (read data {r['load_seconds']:.1f} s)" if "load_seconds" in r else ""
            print(f"| {engine} | {workload} ({what}) | {r['seconds']:.1f} s{extra} | {ratio} | {r['rss_mb']:,.0f} MB "
                  f"| {len(r['results']):,} | {compare(engine, r, ref) if engine != 'pyshacl' else 'reference'} "
                  f"| {r['load']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
