"""Importers, one per source format. Each module exposes ``run(paths, out_dir) -> ImportReport``.

:func:`import_source` runs one importer and writes its report (what it counted and every record it
skipped, with file, element and reason) beside its output as ``import-report.txt``;
:func:`import_all` runs every importer over the shared data folder, in parallel processes.
"""

from __future__ import annotations

import importlib
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from treatykg.errors import InputError

MODULES = {
    "untc": "treatykg.importers.untc_html",
    "untc-csv": "treatykg.importers.untc_csv",
    "ieadb": "treatykg.importers.ieadb",
    "apt": "treatykg.importers.apt",
}

# the folder under graph/ each importer writes to by default
DEFAULT_FOLDER = {"untc": "untc", "untc-csv": "untc-2015", "ieadb": "ieadb", "apt": "apt"}


# the folder (or file) under the shared data folder (../shared/data) each importer reads, the
# longest-running import first so that parallel workers finish together
SHARED_INPUT = {
    "ieadb": "ieadb-2026",
    "untc": "untc-hr-2026/html",
    "untc-csv": "untc-2015",
    "apt": "apt-torture-prevention-2024",
}

REPORT_NAME = "import-report.txt"


def get(source: str):
    if source not in MODULES:
        raise InputError(f"import: unknown source {source!r} (known: {', '.join(MODULES)})")
    return importlib.import_module(MODULES[source]).run


def import_source(source: str, paths: list[Path], out_dir: Path):
    """Run the importer for ``source`` over ``paths`` into ``out_dir`` and write its report there
    (atomically, like the data). Returns the :class:`~treatykg.importers.base.ImportReport`."""
    from treatykg.importers.base import write_bytes_atomic

    report = get(source)([Path(p) for p in paths], Path(out_dir))
    if report.usable:
        write_bytes_atomic(Path(out_dir) / REPORT_NAME, (report.text() + "\n").encode("utf-8"))
    return report


def _import_one(job):
    source, paths, out_dir = job
    return import_source(source, paths, out_dir)


def import_all(data_dir: Path, graph_dir: Path, *, workers: int | None = None) -> list:
    """Import every source from ``data_dir`` (the shared data folder) into its default folder under
    ``graph_dir``, one process per importer (at most ``workers``, default the CPU count).
    A source whose input is missing is an error naming the path."""
    jobs = []
    for source, rel in SHARED_INPUT.items():
        src = Path(data_dir) / rel
        if not src.exists():
            raise InputError(f"import: input for {source!r} not found: {src}")
        jobs.append((source, [src], Path(graph_dir) / DEFAULT_FOLDER[source]))
    workers = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    if workers == 1:
        return [_import_one(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_import_one, jobs))
