"""``treatykg build``: (re-import the sources,) derive the status layer, validate, write the
dumps, warm the cache."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from treatykg.importers.base import write_bytes_atomic


@dataclass
class BuildSummary:
    quads: int = 0
    files: list[Path] = field(default_factory=list)
    conforms: bool | None = None
    report: str = ""
    imports: list = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    cache_warmed: bool | None = None
    cache_error: str = ""

    def text(self) -> str:
        lines = [f"build: {self.quads} quads"]
        for r in self.imports:
            lines.append(f"  import {r.source}: {len(r.written)} file(s), {len(r.skipped)} record(s) skipped"
                         f" (report: {r.written[0].parent / 'import-report.txt'})" if r.written else
                         f"  import {r.source}: nothing written")
        for f in self.files:
            lines.append(f"  wrote {f}")
        for k, v in self.seconds.items():
            lines.append(f"  {k}: {v:.2f} s")
        if self.cache_warmed is not None:
            lines.append("  store for reading commands: " + ("ready" if self.cache_warmed else
                         f"not built ({self.cache_error}); the first reading command builds it"))
        if self.conforms is not None:
            lines.append("  validation: " + ("conforms" if self.conforms else "DOES NOT CONFORM"))
            if not self.conforms:
                lines.append(self.report)
        return "\n".join(lines)


def build(out_dir: Path, *, validate: bool = True, import_from: Path | None = None,
          graph_dir: Path | None = None) -> BuildSummary:
    """Build the graph in ``graph_dir`` (default: the shipped ``graph/``) into ``out_dir``.

    With ``import_from`` (the shared data folder), first re-import every source into its folder
    under ``graph_dir`` (:func:`treatykg.importers.import_all`). Then load and derive, validate
    (unless ``validate`` is False), write the TriG, Turtle and N-Triples dumps and, for the
    shipped graph, put the built store in the cache so that reading commands start from it (a
    child process loads it while this one validates and writes the dumps)."""
    from treatykg import cache, resources
    from treatykg.kg import complete, load_asserted

    start = time.perf_counter()
    shipped = graph_dir is None
    gdir = resources.graph_dir() if shipped else Path(graph_dir)
    s = BuildSummary()
    if import_from is not None:
        from treatykg.importers import import_all

        t = time.perf_counter()
        s.imports = import_all(Path(import_from), gdir)
        s.seconds["import"] = time.perf_counter() - t
    # the store for reading commands is loaded by a child process: the asserted graph while
    # this one derives (the derivation is single-threaded), the derived layer while it
    # validates and writes the dumps (all of them only read the graph)
    t = time.perf_counter()
    kg = load_asserted(None if shipped else [gdir])
    pending = None
    try:
        if shipped:
            t1 = time.perf_counter()
            pending = cache.start_staged(kg)
            s.seconds["cache (asserted graph for the store)"] = time.perf_counter() - t1
        complete(kg)
        s.seconds["load and derive"] = time.perf_counter() - t - s.seconds.get("cache (asserted graph for the store)", 0.0)
        s.quads = len(kg)
        if pending is not None:
            t = time.perf_counter()
            pending.add_derived(kg, quads=s.quads)
            s.seconds["cache (derived layer for the store)"] = time.perf_counter() - t
        if validate:
            from treatykg.validate import validate as run_validation

            t = time.perf_counter()
            result = run_validation(kg)
            s.seconds["validate"] = time.perf_counter() - t
            s.conforms = result.conforms
            s.report = result.text()
        t = time.perf_counter()
        for fmt, name in (("trig", "treatykg.trig"), ("ttl", "treatykg.ttl"), ("nt", "treatykg.nt")):
            s.files.append(write_bytes_atomic(Path(out_dir) / name, kg.dump(fmt)))
        s.seconds["dumps"] = time.perf_counter() - t
        if pending is not None:
            t = time.perf_counter()
            s.cache_warmed = pending.wait()
            s.cache_error = pending.error
            s.seconds["cache (waiting for the store)"] = time.perf_counter() - t
    finally:
        if pending is not None:
            pending.cancel()
    s.seconds["total"] = time.perf_counter() - start
    return s
