"""The benchmark: one table, the embedded store (pyoxigraph) against rdflib, same run.

    python bench/run.py [--sizes 10k,100k,1M] [--reps 15] [--rdflib-max 1M] [--validate-max 100k]

For each size the seeded generator (``bench/generate.py``) writes a synthetic graph under
``bench/out/<size>/`` (gitignored), then each phase runs in a fresh Python process so that
its peak memory is its own:

* **build**: parse the asserted Turtle, derive the status layer (:mod:`treatykg.derive`),
  write the TriG and N-Triples dumps; for pyoxigraph also the persistent on-disk store as the
  reading commands' cache has it (the named graphs and their union copied into the default
  graph, :meth:`KnowledgeGraph.materialize_union`; N-Quads bulk load and compaction by
  :func:`treatykg.cache.write_store`, the cache's own code) and SHACL validation (:func:`treatykg.validate.validate`, pySHACL
  over the Oxigraph data graph; the rdflib column is pySHACL over an rdflib Dataset);
* **load**: parse the full graph (TriG) into an empty store; time and peak memory (RSS);
* **queries**: every named query in ``queries/`` over a sample of States and dates (and the
  treaties, bodies and procedures of the graph), p50 and p95 of wall time over all runs and
  p50 of the process's CPU time (which the machine's load does not inflate); the all-States
  matrix (``oversight-matrix``); and the cost of the query time limit (a fork).
  pyoxigraph answers from the on-disk store, rdflib from an in-memory Dataset.

A query that runs past ``--limit`` seconds is stopped (``treatykg.limits``) and shown as
``>LIMIT``. rdflib is skipped above ``--rdflib-max`` (its memory and time grow past what the
machine allows, see bench/RESULTS.md). The table is printed as Markdown.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

DATES = [_dt.date(2015, 6, 30), _dt.date(2026, 6, 1)]
TKG = "https://w3id.org/treatykg/ontology#"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


# ---------------------------------------------------------------------------------------
# phases (each in its own process; prints one JSON object)


def phase_build(engine: str, folder: Path, validate_max: int, target: int, limit: float) -> dict:
    from treatykg.derive import derive_into

    asserted = folder / "asserted"
    out: dict = {}
    base = rss_mb()
    t0 = time.perf_counter()
    if engine == "ox":
        import pyoxigraph as ox

        from treatykg.kg import KnowledgeGraph, data_files, load_file, load_ontology

        kg = KnowledgeGraph()
        load_ontology(kg)
        for f in data_files([asserted]):
            load_file(kg.store, f, asserted)
        out["parse"] = time.perf_counter() - t0
        t = time.perf_counter()
        derive_into(kg)
        out["derive"] = time.perf_counter() - t
        t = time.perf_counter()
        for fmt in ("trig", "nt"):
            data = kg.dump(fmt)
            (folder / f"full.{fmt}").write_bytes(data)
            del data
        out["dumps"] = time.perf_counter() - t
        out["quads"] = len(kg)
        t = time.perf_counter()
        # the store as the reading commands' cache has it (treatykg.cache.build of load_graph):
        # the union of the named graphs copied into the default graph, which queries then read
        # (pyoxigraph's use_default_graph_as_union costs 2-4x per lookup, more on a larger store)
        kg.materialize_union()
        store_dir = folder / "store"
        if store_dir.exists():
            import shutil

            shutil.rmtree(store_dir)
        nq = folder / "full.nq"
        kg.store.dump(output=str(nq), format=ox.RdfFormat.N_QUADS)
        from treatykg.cache import write_store

        steps = write_store(str(nq), str(store_dir))  # bulk load, then compaction, as the cache does
        nq.unlink()
        out["store"] = time.perf_counter() - t
        out["compact"] = steps["compact"]
        out["build"] = time.perf_counter() - t0
        out["build_peak_mb"] = rss_mb() - base
        if target <= validate_max:
            out["validate"] = _validate(lambda: __import__("treatykg.validate", fromlist=["validate"]).validate(kg), limit)
    else:
        from treatykg.rdflib_engine import RdflibGraph

        g = RdflibGraph.load([asserted], derive=False)
        out["parse"] = time.perf_counter() - t0
        t = time.perf_counter()
        derive_into(g)
        out["derive"] = time.perf_counter() - t
        t = time.perf_counter()
        g.dataset.serialize(destination=str(folder / "rdflib.trig"), format="trig")
        g.dataset.serialize(destination=str(folder / "rdflib.nt"), format="nt")
        out["dumps"] = time.perf_counter() - t
        out["build"] = time.perf_counter() - t0
        out["build_peak_mb"] = rss_mb() - base
        out["quads"] = len(g)
        if target <= validate_max:
            out["validate"] = _validate(lambda: _pyshacl_rdflib(g.dataset), limit)
    return out


def _validate(fn, limit):
    from treatykg import limits
    from treatykg.errors import QueryTimeout

    t = time.perf_counter()
    try:
        limits.run(lambda: (fn(), None)[1], limits.Limit(limit, "bench"))
    except QueryTimeout:
        return f">{limit:g} s"
    return time.perf_counter() - t


def _pyshacl_rdflib(ds):
    """pySHACL on rdflib alone (no Oxigraph data graph): the baseline."""
    import pyshacl

    from treatykg.validate import shapes_graph

    return pyshacl.validate(ds, shacl_graph=shapes_graph(), inference="none", abort_on_first=False,
                            allow_infos=True, allow_warnings=True)


def phase_load(engine: str, folder: Path) -> dict:
    base = rss_mb()
    t = time.perf_counter()
    if engine == "ox":
        import pyoxigraph as ox

        s = ox.Store()
        s.load(path=str(folder / "full.trig"), format=ox.RdfFormat.TRIG)
        n = len(s)
    else:
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(str(folder / "full.trig"), format="trig")
        n = sum(1 for _ in ds.quads((None, None, None, None)))
    return {"load": time.perf_counter() - t, "load_peak_mb": rss_mb() - base, "quads": n}


def _samples(kg) -> dict:
    def values(q, k, seed, first=()):
        vals = sorted({str(r[0].value) for r in kg.select(q, timeout=0).rows})
        picked = [v for v in first if v in vals]
        rest = [v for v in vals if v not in picked]
        return picked + random.Random(seed).sample(rest, min(k, len(rest)))

    return {
        "state": values(f"SELECT DISTINCT ?s WHERE {{ ?a <{TKG}actor> ?s }}", 2, 1, ["https://w3id.org/treatykg/id/state/RUS"]),
        "date": DATES,
        "treaty": values(f"SELECT DISTINCT ?t WHERE {{ ?t <{TKG}shortId> ?id }}", 2, 2),
        "body": values(f"SELECT DISTINCT ?b WHERE {{ ?p <{TKG}operatedBy> ?b }}", 1, 3),
        "procedure": values(f"SELECT DISTINCT ?p WHERE {{ ?p a <{TKG}OversightProcedure> }}", 1, 4),
    }


def phase_queries(engine: str, folder: Path, reps: int, limit: float, combos: int) -> dict:
    from treatykg import queries
    from treatykg.errors import QueryTimeout

    base = rss_mb()
    t = time.perf_counter()
    if engine == "ox":
        import pyoxigraph as ox

        from treatykg.kg import KnowledgeGraph

        kg = KnowledgeGraph(ox.Store.read_only(str(folder / "store")))
    else:
        from treatykg.rdflib_engine import RdflibGraph

        kg = RdflibGraph.load([folder / "full.trig"], ontology=False, derive=False)
    out: dict = {"open": time.perf_counter() - t, "open_peak_mb": rss_mb() - base, "queries": {}}
    samples = _samples(kg)
    lib = dict(queries.library())
    for name, q in sorted(lib.items()):
        times, cpu, rows, status = [], [], 0, "ok"
        for values in q.parameter_sets(samples, combos):
            bound = {k: (int(v) if next(p.type for p in q.params if p.name == k) == "integer" else v) for k, v in values.items()}
            qt, qb = q.text, bound
            try:  # first run under the limit (a runaway query is stopped)
                t0 = time.perf_counter()
                r = kg.select(qt, qb, timeout=limit)
                first = time.perf_counter() - t0
            except QueryTimeout:
                status = f">{limit:g} s"
                break
            except Exception as exc:  # a query one engine cannot run
                status = f"error: {type(exc).__name__}: {str(exc)[:80]}"
                break
            rows += len(r.rows)
            n = reps if first < 1 else max(1, min(reps, int(10 / first)))
            for _ in range(n):
                t0, c0 = time.perf_counter(), time.process_time()
                kg.select(qt, qb, timeout=0)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        out["queries"][name] = {"p50": statistics.median(times) if times and status == "ok" else None,
                                "p95": pct(times, 95) if times and status == "ok" else None,
                                "cpu_p50": statistics.median(cpu) if cpu and status == "ok" else None,
                                "runs": len(times), "rows": rows, "status": status}
    # the cost of the time limit: a trivial query with and without it
    probe = f"SELECT ?s WHERE {{ ?s <{TKG}shortId> ?id }} LIMIT 1"
    for key, to in (("limit_off", 0), ("limit_on", 60)):
        xs = []
        for _ in range(30):
            t0 = time.perf_counter()
            kg.select(probe, timeout=to)
            xs.append(time.perf_counter() - t0)
        out[key] = statistics.median(xs)
    out["query_peak_mb"] = rss_mb() - base
    return out


def run_phase(phase: str, engine: str, folder: Path, args, target: int) -> dict:
    cmd = [sys.executable, __file__, "--phase", phase, "--engine", engine, "--folder", str(folder),
           "--reps", str(args.reps), "--limit", str(args.limit), "--validate-max", str(args.validate_max),
           "--target", str(target), "--combos", str(args.combos)]
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"[{phase}/{engine}] failed after {time.perf_counter() - t:.0f} s: {p.stderr[-2000:]}", file=sys.stderr)
        return {"error": p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}"}
    print(f"[{folder.name}] {phase}/{engine}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return json.loads(p.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------
# the table


def fmt_s(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if v < 1:
        return f"{v * 1000:.1f} ms" if v >= 0.001 else f"{v * 1000:.2f} ms"
    return f"{v:.1f} s"


def fmt_mb(v) -> str:
    return "–" if v is None else (f"{v / 1024:.2f} GB" if v >= 1024 else f"{v:.0f} MB")


def ratio(a, b) -> str:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a > 0:
        return f"{b / a:.1f}×"
    if isinstance(a, (int, float)) and isinstance(b, str) and b.startswith(">"):
        return f">{float(b[1:].split()[0]) / a:.0f}×" if a > 0 else "–"
    return "–"


def table(results: dict) -> str:
    lines = ["| size | measure | pyoxigraph | rdflib | rdflib / pyoxigraph |", "|---|---|---:|---:|---:|"]

    def row(size, name, a, b, f=fmt_s):
        lines.append(f"| {size} | {name} | {f(a) if not isinstance(a, str) else a} | "
                     f"{f(b) if not isinstance(b, str) else b} | {ratio(a, b)} |")

    for size, r in results.items():
        ox_, rl = r.get("ox", {}), r.get("rdflib", {})
        label = f"{size} ({r.get('quads', '?'):,} quads)"
        skip = r.get("rdflib_skipped")
        rb = lambda k, d=rl: (skip if skip else d.get(k))  # noqa: E731
        row(label, "load: parse full graph (TriG)", ox_.get("load", {}).get("load"), rb("load", rl.get("load", {})))
        row(label, "load: peak memory", ox_.get("load", {}).get("load_peak_mb"), rb("load_peak_mb", rl.get("load", {})), fmt_mb)
        b_ox, b_rl = ox_.get("build", {}), rl.get("build", {})
        row(label, "build: parse asserted Turtle", b_ox.get("parse"), rb("parse", b_rl))
        row(label, "build: derive status spans", b_ox.get("derive"), rb("derive", b_rl))
        row(label, "build: TriG + N-Triples dumps", b_ox.get("dumps"), rb("dumps", b_rl))
        row(label, "build: persistent store (union copy, N-Quads bulk load, compaction)", b_ox.get("store"), "n/a")
        if "compact" in b_ox:
            row(label, "build: of which compaction (Store.optimize)", b_ox.get("compact"), "n/a")
        row(label, "build: total (no validation)", b_ox.get("build"), rb("build", b_rl))
        row(label, "build: peak memory", b_ox.get("build_peak_mb"), rb("build_peak_mb", b_rl), fmt_mb)
        if "validate" in b_ox or "validate" in b_rl:
            row(label, "validation: pySHACL, inference none (Oxigraph data graph vs rdflib)", b_ox.get("validate"), rb("validate", b_rl))
        q_ox, q_rl = ox_.get("queries", {}), rl.get("queries", {})
        row(label, "open store for queries (on-disk read-only vs parse into rdflib)", q_ox.get("open"), rb("open", q_rl))
        for name in q_ox.get("queries", {}):
            a, b = q_ox["queries"][name], (q_rl.get("queries", {}).get(name) or {}) if not skip else {}
            av = a["p50"] if a["status"] == "ok" else a["status"]
            bv = skip if skip else (b.get("p50") if b.get("status") == "ok" else b.get("status"))
            row(label, f"query `{name}` p50", av, bv)
            if a.get("cpu_p50") is not None:
                row(label, f"query `{name}` p50 CPU time (process)", a["cpu_p50"],
                    skip if skip else (b.get("cpu_p50") if b.get("status") == "ok" else b.get("status")))
            if a["status"] == "ok" or (b and b.get("status") == "ok"):
                row(label, f"query `{name}` p95", a["p95"] if a["status"] == "ok" else a["status"],
                    skip if skip else (b.get("p95") if b.get("status") == "ok" else b.get("status")))
        if q_ox.get("limit_on") is not None:
            lines.append(f"| {label} | time limit: added cost per query (forked child; trivial query "
                         f"{fmt_s(q_ox['limit_off'])} without, {fmt_s(q_ox['limit_on'])} with) | "
                         f"{fmt_s(q_ox['limit_on'] - q_ox['limit_off'])} | – | – |")
    return "\n".join(lines)


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import pyoxigraph
    import rdflib

    try:
        import pyshacl

        shacl = pyshacl.__version__
    except Exception:
        shacl = "?"
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM; "
            f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, "
            f"pySHACL {shacl}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--combos", type=int, default=4, help="parameter combinations tried per query")
    ap.add_argument("--limit", type=float, default=30.0, help="seconds before a query is stopped")
    ap.add_argument("--rdflib-max", default="1M", help="largest size rdflib is run on")
    ap.add_argument("--validate-max", default="100k", help="largest size validation is run on")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    ap.add_argument("--table-from", type=Path, nargs="+", metavar="JSON", help="print the table of saved figures")
    # internal: one phase in a fresh process
    ap.add_argument("--phase")
    ap.add_argument("--engine")
    ap.add_argument("--folder", type=Path)
    ap.add_argument("--target", type=int, default=0)
    args = ap.parse_args(argv)
    if args.phase:
        vmax = generate.parse_size(str(args.validate_max))
        if args.phase == "build":
            res = phase_build(args.engine, args.folder, vmax, args.target, args.limit * 10)
        elif args.phase == "load":
            res = phase_load(args.engine, args.folder)
        else:
            res = phase_queries(args.engine, args.folder, args.reps, args.limit, args.combos)
        print(json.dumps(res))
        return 0

    if args.table_from:
        merged: dict = {}
        for f in args.table_from:
            merged.update(json.loads(f.read_text()))
        print(f"Machine: {machine()}\n")
        print(table(merged))
        return 0
    results: dict = {}
    rmax = generate.parse_size(args.rdflib_max)
    for size in args.sizes.split(","):
        target = generate.parse_size(size)
        name = generate.size_name(target)
        folder = HERE / "out" / name
        manifest = folder / "asserted" / "manifest.json"
        old = json.loads(manifest.read_text()) if manifest.is_file() else {}
        if (old.get("seed"), old.get("generator")) != (args.seed, generate.generator_digest()):
            generate.generate(target, args.seed, folder / "asserted")
        r: dict = {"ox": {}, "rdflib": {}}
        r["ox"]["build"] = run_phase("build", "ox", folder, args, target)
        r["quads"] = r["ox"]["build"].get("quads")
        r["ox"]["load"] = run_phase("load", "ox", folder, args, target)
        r["ox"]["queries"] = run_phase("queries", "ox", folder, args, target)
        if target <= rmax:
            r["rdflib"]["build"] = run_phase("build", "rdflib", folder, args, target)
            r["rdflib"]["load"] = run_phase("load", "rdflib", folder, args, target)
            r["rdflib"]["queries"] = run_phase("queries", "rdflib", folder, args, target)
        else:
            r["rdflib_skipped"] = "not run"
        results[name] = r
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, default=str))
    print(f"Machine: {machine()}\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
