"""A persistent store of the shipped graph, built once and reused.

**Key.** A store folder is named by a digest of: the package version, the pyoxigraph version
(its on-disk format), this cache's format number, the source of the modules that decide what
goes into the store (loading, derivation, date rules, IRIs), and every shipped file (ontology,
vocabularies, graph) by path and content. A changed graph, ontology, derivation or version
gets a new store; a stale one is never used. Hashing 40 MB of Turtle on every command
would cost a quarter of a second, so content digests are remembered per file *fingerprint*
(path, size, modification time in ns, inode) in ``fingerprints.json``: an unchanged file is
not read again, a touched one is.

**Trust.** A store is built in a temporary folder and renamed into place only when
complete; its ``MANIFEST.json`` (written last) records the key, the quad count, the name,
size and modification time of every file of the store, and a few sample quads. Opening
checks all of that (no full scan: counting 1.7M quads takes over a second) and that the
sample quads are there; anything missing, truncated, replaced or unreadable means the
store is moved aside and rebuilt, not trusted. RocksDB's block checksums catch damage inside
a file when it is read.

**Building.** A child process (``python -m treatykg.cache``) bulk-loads the store from
N-Quads and N-Triples files it is told of on its standard input, then compacts it. The
first reading command gives it one dump of the derived graph (:func:`start`); ``treatykg
build`` gives it the asserted graph while it derives, then the derived layer
(:func:`start_staged`), so that most of the loading runs beside the build's own work.

**Concurrency.** Building takes an exclusive lock (``fcntl.flock``) on ``<key>.lock``;
a second process that finds no store waits for the first and then uses its store instead of
building its own. Readers need no lock (the store is opened read-only). The four most
recently used stores are kept; older ones and abandoned temporary folders are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from treatykg import __version__, resources

MANIFEST = "MANIFEST.json"
FINGERPRINTS = "fingerprints.json"
FORMAT = 3  # 3: compacted after the bulk load
KEEP = 4
# modules whose code decides what the store holds
CODE_MODULES = ("kg.py", "derive.py", "rules.py", "dates.py", "iri.py", "terms.py", "resources.py", "cache.py")
# RocksDB files that a read-only open may touch; everything else must stay as built
_VOLATILE = ("LOG", "LOCK")


def shipped_files() -> list[Path]:
    from treatykg.kg import data_files

    return resources.ontology_files() + data_files([resources.graph_dir()])


def code_files() -> list[Path]:
    pkg = Path(__file__).resolve().parent
    return [pkg / m for m in CODE_MODULES if (pkg / m).is_file()]


def _roots() -> list[str]:
    return [os.path.realpath(r) + os.sep for r in (resources.ontology_dir().parent, resources.graph_dir().parent,
                                                   Path(__file__).resolve().parent)]


def _file_digest(f: Path) -> str:
    h = hashlib.sha256()
    with open(f, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fingerprint(real: str, st: os.stat_result) -> str:
    return f"{real}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"


def digest(files: list[Path], *, memo: dict | None = None, live: set | None = None) -> str:
    """Digest of the files' paths (relative to the data roots) and contents. ``memo`` maps a
    file fingerprint to its content digest, so unchanged files are not read again; the
    fingerprints seen are added to ``live``."""
    roots = _roots()
    h = hashlib.sha256()
    for f in files:
        real = os.path.realpath(f)
        st = os.stat(real)
        fp = _fingerprint(real, st)
        if live is not None:
            live.add(fp)
        d = memo.get(fp) if memo is not None else None
        if d is None:
            d = _file_digest(Path(real))
            if memo is not None:
                memo[fp] = d
        rel = next((real[len(r):] for r in roots if real.startswith(r)), real)
        h.update(rel.encode() + b"\0" + d.encode() + b"\0")
    return h.hexdigest()


def _load_memo(root: Path) -> dict:
    try:
        data = json.loads((root / FINGERPRINTS).read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_memo(root: Path, memo: dict, live: set[str]) -> None:
    """Keep the fingerprints of the files seen now (others are obsolete); atomic write."""
    memo = {k: v for k, v in memo.items() if k in live}
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".fp-", dir=root)
        with os.fdopen(fd, "w") as fh:
            json.dump(memo, fh)
        os.replace(tmp, root / FINGERPRINTS)
    except OSError:
        pass


def cache_key() -> str:
    """The key of the store for the shipped graph as it is now."""
    root = resources.cache_dir()
    memo = _load_memo(root)
    before = len(memo)
    live: set[str] = set()
    h = hashlib.sha256()
    for part in (__version__, _ox_version(), str(FORMAT),
                 digest(code_files(), memo=memo, live=live), digest(shipped_files(), memo=memo, live=live)):
        h.update(part.encode() + b"\0")
    if len(memo) != before or len(memo) != len(live):
        _save_memo(root, memo, live)
    return h.hexdigest()[:24]


def _ox_version() -> str:
    if getattr(ox, "__version__", None):
        return ox.__version__
    try:
        from importlib.metadata import version

        return version("pyoxigraph")
    except Exception:
        return "unknown"


def store_dir(key: str) -> Path:
    return resources.cache_dir() / __version__ / key


# ---------------------------------------------------------------------------------------
# opening and checking


def _store_files(store: Path) -> dict[str, list[int]]:
    out = {}
    for f in sorted(store.iterdir()):
        if f.is_file() and not f.name.startswith(_VOLATILE):
            st = f.stat()
            out[f.name] = [st.st_size, st.st_mtime_ns]
    return out


def check(path: Path, key: str | None = None) -> ox.Store | None:
    """The store in ``path`` opened read-only if it is complete and intact, else None."""
    try:
        meta = json.loads((path / MANIFEST).read_text())
        if meta.get("format") != FORMAT or (key is not None and meta.get("key") != key):
            return None
        if _store_files(path / "store") != meta["files"]:
            return None
        store = ox.Store.read_only(str(path / "store"))
        for q in ox.parse(input=meta["samples"].encode("utf-8"), format=ox.RdfFormat.N_QUADS):
            if q not in store:
                return None
        return store
    except Exception:  # missing, unreadable or damaged: rebuild
        return None


def open_store(key: str | None = None) -> ox.Store | None:
    """The current store if there is a valid one (no building)."""
    key = key or cache_key()
    return check(store_dir(key), key)


def shipped_graph():
    """The shipped graph with its derived layer, from the cache (built on first use)."""
    from treatykg.kg import KnowledgeGraph

    key = cache_key()
    path = store_dir(key)
    store = check(path, key)
    if store is None:
        with _build_lock(path):
            store = check(path, key)  # built by another process while we waited
            if store is None:
                build(path, key)
                store = check(path, key)
        if store is None:  # cache folder not writable or broken: work in memory
            return _in_memory()
        prune()
    _touch(path / MANIFEST)
    return KnowledgeGraph(store)


def _in_memory():
    from treatykg.kg import load_graph

    return load_graph(None, use_cache=False)


def _touch(p: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(p)


@contextlib.contextmanager
def _build_lock(path: Path):
    try:
        import fcntl
    except ImportError:  # no flock (Windows): builds may race, the rename keeps them safe
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path.parent / f"{path.name}.lock", "w")
    except OSError:
        yield
        return
    try:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


# ---------------------------------------------------------------------------------------
# building


SAMPLE_PREDICATES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "https://w3id.org/treatykg/ontology#party",
    "https://w3id.org/treatykg/ontology#actor",
    "https://w3id.org/treatykg/ontology#startsEarliest",
    "http://www.w3.org/ns/prov#wasDerivedFrom",
    "https://w3id.org/treatykg/ontology#softwareVersion",
)


def _has_blank(q: ox.Quad) -> bool:
    return any(isinstance(t, (ox.BlankNode, ox.Triple)) for t in (q.subject, q.object, q.graph_name))


def _samples(store: ox.Store) -> str:
    """A few quads spread over the store's indexes, as N-Quads."""
    picked = []
    for p in SAMPLE_PREDICATES:
        qs = store.quads_for_pattern(None, ox.NamedNode(p), None, None)
        # a bulk load gives blank nodes new identities: a sample with one would never match
        qs = (q for q in qs if not _has_blank(q))
        for i, q in enumerate(qs):
            if i in (0, 97):
                picked.append(q)
            if i >= 97:
                break
    for q in store.quads_for_pattern(None, None, None, None):  # the first in order
        if not _has_blank(q):
            picked.append(q)
            break
    return "".join(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" if not isinstance(q.graph_name, ox.DefaultGraph)
                   else f"{q.subject} {q.predicate} {q.object} .\n" for q in picked)


class Pending:
    """A store being built (:func:`start`, :func:`start_staged`): a child process
    (:func:`_child`) bulk-loads the files it is sent into RocksDB and compacts them;
    :meth:`wait` waits for it, then writes the manifest and renames the folder into place.
    ``error`` says why it failed (the cache is then simply not there: reading commands build
    it on first use)."""

    def __init__(self, path=None, key=None, tmp=None, proc=None, meta=None, *, result: bool | None = None):
        self.path, self.key, self.tmp, self.proc, self.meta = path, key, tmp, proc, meta
        self.result = result
        self.error = ""
        self.cleanup: contextlib.ExitStack | None = None
        self.asserted: set[str] = set()  # the named graphs sent before the derivation

    @classmethod
    def finished(cls, ok: bool, error: str = "") -> "Pending":
        p = cls(result=ok)
        p.error = error
        return p

    def cancel(self) -> None:
        """Stop the child and remove what it wrote (a build that failed half-way)."""
        if self.result is not None:
            return
        self._end_input()
        with contextlib.suppress(OSError):
            self.proc.kill()
            self.proc.communicate()
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.cleanup is not None:
            self.cleanup.close()
        self.result = False
        self.error = "cancelled"

    def send(self, *instructions: str, last: bool = False) -> None:
        """Tell the child to load more files (see :func:`_child`); after the ``last`` ones it
        compacts the store and ends."""
        if any("\n" in i for i in instructions):
            raise OSError(f"a path with a line break cannot be sent to the store's builder: {instructions!r}")
        self.proc.stdin.write(b"".join(os.fsencode(i) + b"\n" for i in instructions + (("end",) if last else ())))
        self.proc.stdin.flush()
        if last:
            self._end_input()

    def _end_input(self) -> None:
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
            self.proc.stdin = None  # so that communicate() leaves it alone

    def add_derived(self, kg, *, quads: int | None = None) -> None:
        """The second stage of :func:`start_staged`: send the graphs that appeared since the
        first (the derived layer, as named graphs and into the default graph), and the
        manifest's figures of the whole graph."""
        if self.result is not None:
            return
        try:
            new = sorted(g.value for g in kg.store.named_graphs() if g.value not in self.asserted)
            lines = []
            for i, g in enumerate(new):
                f = self.tmp / f"derived-{i}.nt"
                kg.store.dump(output=str(f), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g))
                lines += [f"ntriples {g} {f}", f"ntriples default {f}", f"remove {f}"]
            self.meta.update(_figures(kg, quads))
            self.send(*lines, last=True)
        except OSError as exc:  # the store would lack the derived layer: none rather than half
            self.cancel()
            self.error = f"sending the derived layer to the store's builder failed: {exc}"

    def wait(self) -> bool:
        if self.result is not None:
            return self.result
        try:
            self._end_input()
            _, err = self.proc.communicate()
            if self.proc.returncode != 0:
                self.error = f"loading the store failed (exit {self.proc.returncode}): {err.decode(errors='replace')[-400:].strip()}"
                self.result = False
                return False
            for f in self.tmp.glob("*.n[tq]"):
                f.unlink()
            self.meta["files"] = _store_files(self.tmp / "store")
            self.meta["built"] = time.time()
            (self.tmp / MANIFEST).write_text(json.dumps(self.meta, indent=1))
            _discard(self.path)
            os.replace(self.tmp, self.path)
            self.result = True
        except OSError as exc:
            self.error = str(exc)
            self.result = check(self.path, self.key) is not None  # another process may have put a store there
        finally:
            if self.tmp.exists():
                shutil.rmtree(self.tmp, ignore_errors=True)
            if self.cleanup is not None:
                self.cleanup.close()
        return self.result


def start(path: Path, key: str | None = None, *, mem=None, quads: int | None = None) -> Pending:
    """Begin building the store for the shipped graph into ``path`` (atomically; see
    :class:`Pending`). ``mem`` is the shipped graph already loaded and derived (it is loaded
    here if not given), ``quads`` its size if known."""
    from treatykg.kg import load_graph

    key = key or cache_key()
    if mem is None:
        mem = load_graph(None, use_cache=False)
    meta = _manifest_head(key) | _figures(mem, quads)

    def write(tmp: Path) -> list[str]:
        nonlocal mem
        dump = tmp / "all.nq"
        mem.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
        mem = None  # a graph loaded here is not kept while the child works
        return [f"nquads {dump}", f"remove {dump}"]

    return _launch(path, key, meta, write, last=True)


def _manifest_head(key: str) -> dict:
    """What a store's manifest says of where it comes from."""
    return {"format": FORMAT, "key": key, "version": __version__}


def _figures(kg, quads: int | None) -> dict:
    """What a store's manifest says of the graph in it (``quads`` if the caller counted them)."""
    return {"quads": quads if quads is not None else len(kg), "samples": _samples(kg.store)}


def _launch(path: Path, key: str, meta: dict, write, *, last: bool) -> "Pending":
    """Make the temporary folder, write the files there (``write(tmp)`` returns the
    instructions that load them), start the child and send it the instructions. On an
    OS error: the child stopped, the folder removed, a finished :class:`Pending` saying why."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=path.parent))
    except OSError as exc:
        return Pending.finished(False, str(exc))
    pending = None
    try:
        instructions = write(tmp)
        pending = Pending(path, key, tmp, _spawn(tmp), meta)
        pending.send(*instructions, last=last)
        return pending
    except OSError as exc:
        if pending is not None:  # the child started: stop it
            pending.cancel()
        shutil.rmtree(tmp, ignore_errors=True)
        return Pending.finished(check(path, key) is not None, str(exc))


def _spawn(tmp: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "treatykg.cache", str(tmp / "store")],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def start_staged(kg, key: str | None = None) -> "Pending":
    """Begin the store while the caller is still deriving: ``kg`` holds the asserted graph
    only (no derived layer, no union in the default graph). The child loads its named
    graphs, and their triples into the default graph, on the core the derivation leaves
    idle; :meth:`Pending.add_derived` sends the rest, :meth:`Pending.wait` finishes. The
    store is the same, quad for quad, as :func:`start` builds from the derived graph. A
    graph with blank nodes takes the one-dump way (:func:`start` at ``add_derived``):
    each bulk load gives its blank nodes new identities, so the named and the default copy
    of a triple must come from one file."""
    key = key or cache_key()
    path = store_dir(key)
    if check(path, key) is not None:
        return Pending.finished(True)
    stack = contextlib.ExitStack()
    stack.enter_context(_build_lock(path))
    if check(path, key) is not None:
        stack.close()
        return Pending.finished(True)
    from treatykg.derive import DERIVED_GRAPHS

    graphs = sorted(kg.store.named_graphs(), key=lambda n: n.value)
    # one dump after the derivation (see above) when the graph has blank nodes, or when a data
    # file already uses a graph the derivation rewrites (its old content would be in stage 1)
    if (kg.store.query("ASK { GRAPH ?g { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o) || isTRIPLE(?o)) } }")
            or {g.value for g in graphs} & set(DERIVED_GRAPHS)):
        pending = _Deferred(path, key)
    else:
        def write(tmp: Path) -> list[str]:
            named, default = tmp / "asserted.nq", tmp / "asserted.nt"
            kg.store.dump(output=str(named), format=ox.RdfFormat.N_QUADS)
            with open(default, "wb") as fh:
                for g in graphs:
                    kg.store.dump(output=fh, format=ox.RdfFormat.N_TRIPLES, from_graph=g)
            return [f"nquads {named}", f"remove {named}", f"ntriples default {default}", f"remove {default}"]

        pending = _launch(path, key, _manifest_head(key), write, last=False)
        if pending.result is not None:  # it could not start
            stack.close()
            return pending
        pending.asserted = {g.value for g in graphs}
    pending.cleanup = stack
    return pending


class _Deferred(Pending):
    """:func:`start_staged` for a graph that must be stored from one dump (blank nodes, or a
    data file in a derived graph): nothing starts before the derived graph is there; then
    :func:`start`."""

    def __init__(self, path, key):
        super().__init__(path, key)
        self.inner: Pending | None = None

    def add_derived(self, kg, *, quads=None) -> None:
        self.inner = start(self.path, self.key, mem=kg, quads=quads)

    def wait(self) -> bool:
        try:
            self.result = self.inner.wait() if self.inner is not None else False
            self.error = self.inner.error if self.inner is not None else "no derived graph was given"
        finally:
            if self.cleanup is not None:
                self.cleanup.close()
        return self.result

    def cancel(self) -> None:
        if self.inner is not None:
            self.inner.cancel()
        if self.cleanup is not None:
            self.cleanup.close()
        self.result = False if self.result is None else self.result


def build(path: Path, key: str | None = None, *, mem=None) -> bool:
    """Build the store for the shipped graph into ``path`` (atomically). True if it is there.
    ``mem`` is the shipped graph already loaded and derived (it is loaded here if not given)."""
    return start(path, key, mem=mem).wait()


def _child(target: str) -> None:
    """``python -m treatykg.cache TARGET``: build a store at ``TARGET`` from the instructions
    on standard input, one a line: ``nquads PATH`` (bulk-load an N-Quads file),
    ``ntriples GRAPH PATH`` (an N-Triples file into the named graph GRAPH, or ``default``),
    ``remove PATH``, ``end``. After ``end`` the store is compacted; input that stops before
    it (the builder died or gave up) exits with an error, and the folder is not used."""
    disk = ox.Store(target)
    for raw in sys.stdin.buffer:
        verb, _, rest = os.fsdecode(raw.rstrip(b"\n")).partition(" ")
        if verb == "end":
            break
        if verb == "nquads":
            disk.bulk_load(path=rest, format=ox.RdfFormat.N_QUADS)
        elif verb == "ntriples":
            graph, _, f = rest.partition(" ")
            to = ox.DefaultGraph() if graph == "default" else ox.NamedNode(graph)
            disk.bulk_load(path=f, format=ox.RdfFormat.N_TRIPLES, to_graph=to)
        elif verb == "remove":
            os.unlink(rest)
        else:
            raise SystemExit(f"treatykg.cache: unknown instruction {raw!r}")
    else:  # the input ended without "end": the builder stopped half-way, keep nothing
        raise SystemExit("treatykg.cache: the input ended before the last instruction")
    _compact(disk)


def _compact(disk: ox.Store) -> None:
    """A bulk load leaves many overlapping RocksDB files, so every lookup probes several of
    them; ``Store.optimize()`` merges them into one sorted run per index: ~5 s on the shipped
    graph, and a lookup on a 10M-quad store costs half as much (see bench/RESULTS.md). The
    compacted files are larger (less compression at the last level)."""
    disk.flush()
    disk.optimize()
    disk.flush()


def write_store(dump: str, target: str) -> dict[str, float]:
    """Load the N-Quads ``dump`` into a new store at ``target`` and compact it; the seconds
    each step took: the child's work for a first-use build (:func:`start`) in one call,
    which ``bench/run.py`` times."""
    times = {}
    t = time.perf_counter()
    disk = ox.Store(target)
    disk.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
    disk.flush()
    times["load"] = time.perf_counter() - t
    t = time.perf_counter()
    _compact(disk)
    times["compact"] = time.perf_counter() - t
    return times


def _discard(path: Path) -> None:
    """Move a damaged or stale store aside, then remove it (open readers keep their files)."""
    if not path.exists():
        return
    aside = path.parent / f".discard-{path.name}-{os.getpid()}-{time.monotonic_ns()}"
    try:
        os.replace(path, aside)
    except OSError:
        aside = path
    shutil.rmtree(aside, ignore_errors=True)


def prune(keep: int = KEEP) -> None:
    """Keep the ``keep`` most recently used stores; remove others and stale temporary folders."""
    root = resources.cache_dir()
    try:
        stores = [m.parent for m in root.glob(f"*/*/{MANIFEST}")]
        stores.sort(key=lambda p: (p / MANIFEST).stat().st_mtime, reverse=True)
        for old in stores[keep:]:
            _discard(old)
        for tmp in list(root.glob("*/.building-*")) + list(root.glob("*/.discard-*")):
            if time.time() - tmp.stat().st_mtime > 6 * 3600:
                shutil.rmtree(tmp, ignore_errors=True)
        # the lock file of a store that is gone, once no build can be waiting on it (a builder
        # that still holds a removed lock file races only with another builder; the rename
        # into place keeps both safe)
        for lock in root.glob("*/*.lock"):
            if not lock.with_suffix("").exists() and time.time() - lock.stat().st_mtime > 6 * 3600:
                lock.unlink(missing_ok=True)
    except OSError:
        pass


if __name__ == "__main__":  # python -m treatykg.cache TARGET, instructions on stdin (used by start())
    _child(sys.argv[1])
