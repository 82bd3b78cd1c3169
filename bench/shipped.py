"""Timings on the shipped graph (run by hand): every named query, the cold flagship command
and the all-States matrix, against the rdflib baseline on the same graph in the same run.

    .venv/bin/python bench/shipped.py [--reps 21] [--only q1,q2] [--rdflib-limit 60] [--no-rdflib]
                                      [--no-cold] [--before REV] [--json out.json]

Every query in ``queries/`` runs with the example values of its header (``# param:`` lines,
optional ones included; a query with optional parameters runs a second time without them),
from the cached on-disk store the reading commands use (:func:`treatykg.kg.load_graph`),
``--reps`` times after one warm-up run; p50 and p95 of those runs. rdflib answers the same
query text with the same bound values from an in-memory ``rdflib.Dataset`` holding the same
quads (:meth:`treatykg.rdflib_engine.RdflibGraph.from_kg`), in a forked child stopped after
``--rdflib-limit`` seconds per query (``>N s`` in the table), a few runs each. The ratio is
rdflib p50 / pyoxigraph p50 of this run. ``--before REV`` also times each query as it was at
git revision REV (same store, same values, interleaved with the current text), for a
before/after comparison measured under the same load. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from treatykg import limits, queries
from treatykg.errors import QueryTimeout
from treatykg.kg import load_graph

FLAGSHIP = ("binding-oversight", {"state": "RUS", "date": "2026-06-01"})
REPO = Path(__file__).resolve().parent.parent


def text_at(rev: str, qid: str) -> str | None:
    """The query's text at git revision ``rev`` (None if it did not exist)."""
    out = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:queries/{qid}.rq"], capture_output=True, text=True)
    return out.stdout if out.returncode == 0 else None


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def runs(fn, reps: int, budget: float = 20.0) -> list[float]:
    """Times of ``reps`` calls after one warm-up call (fewer when they pass ``budget`` s)."""
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    n = max(3, min(reps, int(budget / max(first, 1e-6))))
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def ms(x: float | None) -> str:
    if x is None:
        return ""
    if x >= 1:
        return f"{x:.1f} s"
    return f"{x * 1000:.1f} ms" if x >= 0.01 else f"{x * 1000:.2f} ms"


def cases(only: set[str] | None) -> list[tuple[str, str, dict]]:
    """(label, query id, raw parameter values): the header examples, and without the
    optional parameters where there are any."""
    out = []
    for q in queries.library().values():
        if only and q.id not in only:
            continue
        full = {p.name: p.example for p in q.params}
        out.append((q.id, q.id, full))
        if any(p.optional for p in q.params):
            required = {p.name: p.example for p in q.params if not p.optional}
            out.append((f"{q.id} (no optional)", q.id, required))
    return out


def cold_command(n: int = 5) -> float:
    exe = Path(sys.executable).with_name("treatykg")
    args = [str(exe), "oversight", FLAGSHIP[1]["state"], "--on", FLAGSHIP[1]["date"]]
    subprocess.run(args, capture_output=True)  # builds the cache if needed
    colds = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True)
        colds.append(time.perf_counter() - t)
    return statistics.median(colds)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=21)
    ap.add_argument("--only", default="", help="comma-separated query ids")
    ap.add_argument("--rdflib-limit", type=float, default=60.0, help="seconds per query on rdflib")
    ap.add_argument("--rdflib-reps", type=int, default=3)
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--no-cold", action="store_true")
    ap.add_argument("--before", metavar="REV", help="also time the queries as they were at this git revision")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    only = {s.strip() for s in a.only.split(",") if s.strip()} or None

    head: dict[str, object] = {"date": dt.date.today().isoformat()}
    if not a.no_cold:
        head["cold"] = cold_command()
    t = time.perf_counter()
    kg = load_graph()
    head["open"] = time.perf_counter() - t
    head["quads"] = len(kg)

    rows = []
    for label, qid, raw in cases(only):
        q = queries.get(qid)
        bound = queries.resolve_params(kg, q, raw)
        n_rows = len(kg.select(q.text, bound, timeout=0).rows)
        old = text_at(a.before, qid) if a.before else None
        before = "new" if a.before and old is None else "same text" if old == q.text else ""
        if old == q.text:
            old = None
        if old is not None:  # interleaved, so that both see the same load
            kg.select(old, bound, timeout=0)
            xs, bs = [], []
            for _ in range(a.reps):
                bs.append(once(lambda: kg.select(old, bound, timeout=0)))
                xs.append(once(lambda: kg.select(q.text, bound, timeout=0)))
                if len(xs) >= 3 and sum(bs) + sum(xs) > 30:
                    break
        else:
            xs, bs = runs(lambda: kg.select(q.text, bound, timeout=0), a.reps), []
        rows.append({"label": label, "query": qid, "params": raw, "rows": n_rows, "before": before,
                     "ox_p50": statistics.median(xs), "ox_p95": pct(xs, 95), "ox_n": len(xs)})
        if bs:
            rows[-1].update(before_p50=statistics.median(bs), before_p95=pct(bs, 95))
        print(f"  {label}: {ms(rows[-1]['ox_p50'])} ({n_rows} rows)"
              + (f", before {ms(rows[-1]['before_p50'])}" if bs else ""), file=sys.stderr)

    if not a.no_rdflib:
        from treatykg.rdflib_engine import RdflibGraph

        t = time.perf_counter()
        rg = RdflibGraph.from_kg(kg)
        head["rdflib_build"] = time.perf_counter() - t
        lim = limits.Limit(a.rdflib_limit, "--rdflib-limit")
        for r in rows:
            q = queries.get(r["query"])
            bound = queries.resolve_params(kg, q, r["params"])

            def timed(q=q, bound=bound):  # runs in the forked child, so the limit can stop it
                out = []
                for _ in range(a.rdflib_reps):
                    t0 = time.perf_counter()
                    rg.select(q.text, bound, timeout=0)
                    out.append(time.perf_counter() - t0)
                    if sum(out) > a.rdflib_limit / 2:
                        break
                return out

            try:
                xs = limits.run(timed, lim)
                r["rf_p50"], r["rf_p95"] = statistics.median(xs), pct(xs, 95)
            except QueryTimeout:
                r["rf_error"] = f">{a.rdflib_limit:g} s"
            except Exception as exc:  # noqa: BLE001 - the table says what went wrong
                r["rf_error"] = f"error: {type(exc).__name__}: {str(exc)[:60]}"
            print(f"  rdflib {r['label']}: {ms(r.get('rf_p50')) or r.get('rf_error')}", file=sys.stderr)

    print(f"Shipped graph: {head['quads']:,} quads (named graphs + their union), {head['date']}\n")
    if "cold" in head:
        print(f"* cold `treatykg oversight RUS` (median of 5, cache built): {head['cold']:.2f} s")
    print(f"* open the cached store: {ms(head['open'])}"
          + (f"; build the rdflib Dataset: {head['rdflib_build']:.1f} s" if "rdflib_build" in head else ""))
    print()
    before = f" | before ({a.before}) p50 | p95" if a.before else ""
    print(f"| query | rows{before} | pyoxigraph p50 | p95 | rdflib p50 | p95 | rdflib / pyoxigraph |")
    print("|---|---:" + ("|---:|---:" if a.before else "") + "|---:|---:|---:|---:|---:|")
    for r in rows:
        rf50 = r.get("rf_p50")
        ratio = f"{rf50 / r['ox_p50']:,.0f}×" if rf50 else "–"
        rf = ms(rf50) if rf50 else r.get("rf_error", "not run")
        b = f" | {ms(r.get('before_p50')) or r['before']} | {ms(r.get('before_p95'))}" if a.before else ""
        print(f"| `{r['label']}` | {r['rows']}{b} | {ms(r['ox_p50'])} | {ms(r['ox_p95'])} | {rf} | "
              f"{ms(r.get('rf_p95'))} | {ratio} |")
    if a.json:
        a.json.write_text(json.dumps({"head": head, "rows": rows}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
