"""``treatykg build``: derive the status layer, validate, write the dumps, warm the cache."""

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
    seconds: dict[str, float] = field(default_factory=dict)

    def text(self) -> str:
        lines = [f"build: {self.quads} quads"]
        for f in self.files:
            lines.append(f"  wrote {f}")
        for k, v in self.seconds.items():
            lines.append(f"  {k}: {v:.2f} s")
        if self.conforms is not None:
            lines.append("  validation: " + ("conforms" if self.conforms else "DOES NOT CONFORM"))
            if not self.conforms:
                lines.append(self.report)
        return "\n".join(lines)


def build(out_dir: Path, *, validate: bool = True) -> BuildSummary:
    from treatykg import cache
    from treatykg.kg import load_graph

    s = BuildSummary()
    t = time.perf_counter()
    kg = load_graph(None, use_cache=False)
    s.seconds["load and derive"] = time.perf_counter() - t
    s.quads = len(kg)
    if validate:
        from treatykg.validate import validate as run_validation

        t = time.perf_counter()
        result = run_validation(kg.to_rdflib())
        s.seconds["validate"] = time.perf_counter() - t
        s.conforms = result.conforms
        s.report = result.text()
    t = time.perf_counter()
    for fmt, name in (("trig", "treatykg.trig"), ("ttl", "treatykg.ttl"), ("nt", "treatykg.nt")):
        s.files.append(write_bytes_atomic(Path(out_dir) / name, kg.dump(fmt)))
    s.seconds["dumps"] = time.perf_counter() - t
    t = time.perf_counter()
    cache.shipped_graph()
    s.seconds["cache"] = time.perf_counter() - t
    return s
