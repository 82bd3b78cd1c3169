"""Timings on the shipped graph (run by hand): cold flagship command, flagship query p50/p95,
the all-States matrix, against the rdflib baseline on the same graph in the same run.

    .venv/bin/python bench/shipped.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

from treatykg import queries
from treatykg.kg import load_graph

REPEAT = 15


def timed(fn, n=REPEAT):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    out.sort()
    return statistics.median(out), out[int(0.95 * (len(out) - 1))]


def main() -> int:
    exe = Path(sys.executable).with_name("treatykg")
    subprocess.run([str(exe), "oversight", "RUS", "--on", "2026-06-01"], capture_output=True)  # warm the cache
    colds = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([str(exe), "oversight", "RUS", "--on", "2026-06-01"], capture_output=True, check=True)
        colds.append(time.perf_counter() - t)
    t = time.perf_counter()
    kg = load_graph()
    open_s = time.perf_counter() - t
    flag = queries.get("binding-oversight")
    matrix = queries.get("oversight-matrix")
    p = queries.resolve_params(kg, flag, {"state": "RUS", "date": "2026-06-01"})
    m = queries.resolve_params(kg, matrix, {"date": "2026-06-01"})
    f50, f95 = timed(lambda: kg.select(flag.text, p, timeout=0))
    m50, m95 = timed(lambda: kg.select(matrix.text, m, timeout=0), n=5)

    from treatykg.rdflib_engine import RdflibGraph

    t = time.perf_counter()
    rg = RdflibGraph.from_kg(kg)
    conv = time.perf_counter() - t
    rf50, rf95 = timed(lambda: rg.select(flag.text, p, timeout=0), n=3)
    print(f"shipped graph: {len(kg)} quads (named graphs + their union); {dt.date.today()}")
    print(f"{'measure':42} {'pyoxigraph':>12} {'rdflib':>12} {'ratio':>8}")
    print(f"{'cold `treatykg oversight RUS` (median of 5)':42} {statistics.median(colds):11.3f}s {'':>12} {'':>8}")
    print(f"{'open the cached store':42} {open_s:11.3f}s {conv:11.1f}s {conv / open_s:7.0f}x")
    print(f"{'binding-oversight p50 / p95':42} {f50 * 1000:8.1f} ms {rf50 * 1000:9.0f} ms {rf50 / f50:7.0f}x")
    print(f"{'':42} {f95 * 1000:8.1f} ms {rf95 * 1000:9.0f} ms")
    print(f"{'oversight-matrix (all States) p50 / p95':42} {m50 * 1000:8.1f} ms {'':>12} {'':>8}")
    print(f"{'':42} {m95 * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
