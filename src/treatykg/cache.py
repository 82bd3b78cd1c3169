"""A persistent store of the shipped graph, built once and reused.

The cache folder is keyed by the package version and a digest of every shipped file (path
and content), so a changed graph, ontology or version gets a new store and a stale one is
never used. A store is built in a temporary folder and renamed into place only when
complete; its ``MANIFEST`` (written last) records the quad count, which is checked on every
open, so a damaged or half-built store is detected and rebuilt rather than trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from treatykg import __version__, resources

MANIFEST = "MANIFEST.json"


def shipped_files() -> list[Path]:
    from treatykg.kg import data_files

    return resources.ontology_files() + data_files([resources.graph_dir()])


def digest(files: list[Path]) -> str:
    h = hashlib.sha256(__version__.encode())
    roots = [resources.ontology_dir().parent, resources.graph_dir().parent]
    for f in files:
        rel = str(f)
        for r in roots:
            try:
                rel = str(f.resolve().relative_to(r.resolve()))
                break
            except ValueError:
                continue
        h.update(rel.encode())
        h.update(b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()[:24]


def store_dir(key: str) -> Path:
    return resources.cache_dir() / __version__ / key


def _valid(path: Path) -> ox.Store | None:
    manifest = path / MANIFEST
    if not manifest.is_file():
        return None
    try:
        meta = json.loads(manifest.read_text())
        store = ox.Store.read_only(str(path / "store"))
        if len(store) != meta["quads"]:
            return None
        return store
    except Exception:  # damaged: anything unreadable means rebuild
        return None


def shipped_graph():
    """The shipped graph with its derived layer, from the cache (built on first use)."""
    from treatykg.kg import KnowledgeGraph

    key = digest(shipped_files())
    path = store_dir(key)
    store = _valid(path)
    if store is not None:
        return KnowledgeGraph(store)
    build(path)
    store = _valid(path)
    if store is None:  # cache folder not writable or broken: work in memory
        return _in_memory()
    return KnowledgeGraph(store)


def _in_memory():
    from treatykg.kg import load_graph

    return load_graph(None, use_cache=False)


def build(path: Path) -> None:
    """Build the store for the shipped graph into ``path`` (atomically)."""
    from treatykg.kg import load_graph

    if path.exists():
        shutil.rmtree(path, ignore_errors=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=path.parent))
    except OSError:
        return
    try:
        mem = load_graph(None, use_cache=False)
        disk = ox.Store(str(tmp / "store"))
        disk.bulk_extend(mem.store)
        disk.flush()
        n = len(disk)
        del disk
        (tmp / MANIFEST).write_text(json.dumps({"version": __version__, "quads": n}))
        os.replace(tmp, path)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if tmp.exists() and tmp != path:
            shutil.rmtree(tmp, ignore_errors=True)
