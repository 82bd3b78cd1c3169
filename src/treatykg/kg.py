"""Loading the graph and asking it questions.

:class:`KnowledgeGraph` holds the ontology, the asserted data (one named graph per file or
per TriG graph) and the derived status layer in an embedded pyoxigraph store; every reading
command goes through it. :func:`load_graph` is the entry point: the shipped graph by default,
or the files and folders given (``--data``), always with the ontology and the derived layer.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from treatykg import resources
from treatykg.errors import InputError

BASE = "https://w3id.org/treatykg/"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
DERIVED_GRAPH = BASE + "graph/derived"
FILE_GRAPH = BASE + "graph/file/"

XSD = "http://www.w3.org/2001/XMLSchema#"

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
_QUAD_FORMATS = {".trig", ".nq", ".jsonld"}


def data_files(paths: Iterable[Path | str]) -> list[Path]:
    """The RDF files named by ``paths`` (files, or folders searched recursively), sorted."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix in _FORMATS and f.is_file() and not f.name.startswith(".")))
        elif p.is_file():
            if p.suffix not in _FORMATS:
                raise InputError(f"{p}: not an RDF file this tool reads (use {', '.join(sorted(_FORMATS))})")
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return out


def _graph_name_for(path: Path, root: Path | None) -> str:
    try:
        rel = path.resolve().relative_to(root.resolve()) if root else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    return FILE_GRAPH + "/".join(rel.with_suffix("").parts)


def load_file(store: ox.Store, path: Path, root: Path | None = None) -> None:
    """Load one file; triples formats go to a named graph named after the file."""
    fmt = _FORMATS[path.suffix]
    to_graph = None if path.suffix in _QUAD_FORMATS else ox.NamedNode(_graph_name_for(path, root))
    try:
        store.load(path=str(path), format=fmt, to_graph=to_graph, base_iri=None)
    except SyntaxError as exc:
        line = exc.args[1][1] if len(exc.args) > 1 and exc.args[1] else getattr(exc, "lineno", None)
        msg = str(exc.args[0]) if exc.args else str(exc)
        raise InputError(f"{path}:{line}: malformed {fmt.name if hasattr(fmt, 'name') else path.suffix} data: {msg}") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot load: {exc}") from None


def to_python(term) -> object:
    """A pyoxigraph term as a Python value: IRIs as str, xsd:date as date, numbers, booleans."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else None
        v = term.value
        if dt == XSD + "date":
            try:
                return _dt.date.fromisoformat(v)
            except ValueError:
                return v
        if dt == XSD + "boolean":
            return v in ("true", "1")
        if dt in (XSD + "integer", XSD + "int", XSD + "long"):
            try:
                return int(v)
            except ValueError:
                return v
        return v
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def to_term(value) -> ox.NamedNode | ox.Literal:
    """A Python value as a pyoxigraph term (dates as xsd:date, str starting with http as IRI)."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, _dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    s = str(value)
    if s.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(s)
    return ox.Literal(s)


def _nq(value) -> str:
    """One term in N-Quads syntax."""
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{XSD}boolean>'
    if isinstance(value, _dt.date):
        return f'"{value.isoformat()}"^^<{XSD}date>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    s = str(value)
    if s.startswith(("http://", "https://", "urn:")):
        if any(c in s for c in '<>"{}|^`\\ '):
            raise ValueError(f"not an IRI: {s!r}")
        return f"<{s}>"
    esc = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"'


_GROUP_START = re.compile(r"\b(?:WHERE|ASK)\s*\{", re.IGNORECASE)
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def bind_values(query: str, bindings: dict | None) -> str:
    """Bind parameters as an inline-data ``VALUES`` block at the start of the query's
    top-level group pattern, so the engine joins them first.

    The values are RDF terms built by pyoxigraph (an IRI is checked by ``NamedNode``, a
    literal is escaped by its serialiser), never user text spliced into the query; variable
    names must be plain SPARQL names. pyoxigraph's SEP-0007 ``substitutions`` would be the
    natural API, but it filters the complete answer afterwards, which turns a lookup for one
    State into an evaluation for all of them.
    """
    if not bindings:
        return query
    names, values = [], []
    for k, v in bindings.items():
        if not _VAR.fullmatch(k):
            raise InputError(f"parameter name {k!r} is not a SPARQL variable name")
        names.append(f"?{k}")
        values.append(str(to_term(v)))
    masked = "\n".join(" " * len(line) if line.lstrip().startswith("#") else line for line in query.split("\n"))
    m = _GROUP_START.search(masked)
    if not m:
        raise InputError("query has no WHERE or ASK group pattern to bind parameters in")
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }} "
    return query[: m.end()] + block + query[m.end():]


@dataclass
class Result:
    """A SELECT result: variable names and rows of pyoxigraph terms (None where unbound)."""

    variables: list[str]
    rows: list[tuple]

    def dicts(self) -> list[dict]:
        return [{v: to_python(t) for v, t in zip(self.variables, r)} for r in self.rows]


class KnowledgeGraph:
    """The graph in an embedded store, with helpers to read it and to run named queries."""

    def __init__(self, store: ox.Store | None = None, *, union_in_default: bool | None = None):
        self.store = store if store is not None else ox.Store()
        if union_in_default is None:
            union_in_default = next(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None
        # True once the default graph holds the set union of the named graphs (see
        # materialize_union); queries then read the default graph, without duplicates
        self.union_in_default = union_in_default

    def materialize_union(self) -> None:
        """Copy every named graph's triples into the default graph, once each.

        pyoxigraph's ``use_default_graph_as_union`` has bag semantics: a triple asserted by
        two sources (two named graphs) matches twice, which duplicates rows and skews counts.
        The default graph is a set, so a copy there gives SPARQL's RDF-merge semantics; the
        named graphs stay for provenance (``GRAPH ?g``) and for export.
        """
        self.store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        self.union_in_default = True

    # ---- reading -------------------------------------------------------------------
    def pairs(self, predicate: str) -> Iterator[tuple[str, object]]:
        """(subject IRI, object value) for every triple with ``predicate``, in any graph."""
        default = ox.DefaultGraph()
        for q in self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            if self.union_in_default and q.graph_name == default:
                continue
            yield to_python(q.subject), to_python(q.object)

    def select(self, query: str, bindings: dict | None = None, *, timeout: float | None = None) -> Result:
        """Run a SELECT; stopped with :class:`~treatykg.errors.QueryTimeout` past ``timeout``
        seconds (default: the limit in force, :func:`treatykg.limits.current`; 0 = none)."""
        from treatykg import limits

        text = bind_values(query, bindings)

        def evaluate():
            res = self.store.query(text, use_default_graph_as_union=not self.union_in_default)
            variables = [v.value for v in res.variables]
            # a solution iterates over its values in the order of res.variables (None where
            # unbound): a third faster than looking each one up by name
            return variables, [tuple(sol) for sol in res]

        variables, rows = limits.run(evaluate, limits.effective(timeout))
        return Result(variables, rows)

    def ask(self, query: str, bindings: dict | None = None) -> bool:
        from treatykg import limits

        text = bind_values(query, bindings)
        return limits.run(lambda: bool(self.store.query(text, use_default_graph_as_union=not self.union_in_default)),
                          limits.effective(None))

    def __len__(self) -> int:
        return len(self.store)

    # ---- writing -------------------------------------------------------------------
    def add_nquads(self, graph: str, triples: Iterable[tuple]) -> None:
        """Bulk-add plain-Python triples (IRIs as str, dates, booleans, ints, strings) through
        N-Quads text, which the store parses far faster than it builds Python term objects."""
        g = f"<{graph}>"
        cache: dict = {}

        def fmt(v):
            key = (type(v), v)
            out = cache.get(key)
            if out is None:
                out = cache[key] = _nq(v)
            return out

        lines = [f"{fmt(s)} {fmt(p)} {fmt(o)} {g} .\n" for s, p, o in triples]
        self.store.bulk_load(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def clear_graph(self, graph: str) -> None:
        g = ox.NamedNode(graph)
        if g in set(self.store.named_graphs()):
            self.store.clear_graph(g)

    # ---- conversion ----------------------------------------------------------------
    def to_rdflib(self, *, include_ontology: bool = True):
        """An rdflib Dataset with the same quads (for pySHACL and rdflib-based tools)."""
        import rdflib

        ds = rdflib.Dataset()
        data = ox.serialize(self._named_quads(), format=ox.RdfFormat.N_QUADS)
        ds.parse(data=data.decode("utf-8") if isinstance(data, bytes) else data, format="nquads")
        if not include_ontology:
            ds.remove_graph(rdflib.URIRef(ONTOLOGY_GRAPH))
        return ds

    def _named_quads(self) -> Iterator[ox.Quad]:
        """Every quad of the named graphs (not the default graph's union copy), graph by graph
        in IRI order, so that a serialisation of them is the same on every run."""
        if not self.union_in_default:
            return iter(self.store)
        graphs = sorted(self.store.named_graphs(), key=str)
        return itertools.chain.from_iterable(self.store.quads_for_pattern(None, None, None, g) for g in graphs)

    def dump(self, fmt: str) -> bytes:
        """Serialise everything. ``ttl``/``nt``/``jsonld`` flatten the named graphs (provenance
        stays on the nodes); ``trig``/``nq`` keep them.

        Nothing is copied: the quads are streamed to the serialiser, and the flat formats are
        the default graph, which already holds the union of the named graphs
        (:meth:`materialize_union`)."""
        fmts = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
                "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
        if fmt not in fmts:
            raise InputError(f"--format: {fmt!r} is not one of {', '.join(fmts)}")
        prefixes = PREFIXES if fmt in ("trig", "ttl") else None
        if fmt in ("trig", "nq"):
            return ox.serialize(self._named_quads(), format=fmts[fmt], prefixes=prefixes)
        if self.union_in_default:
            return self.store.dump(format=fmts[fmt], from_graph=ox.DefaultGraph(), prefixes=prefixes)
        flat = ox.Store()
        flat.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in self.store)
        return flat.dump(format=fmts[fmt], from_graph=ox.DefaultGraph(), prefixes=prefixes)


PREFIXES = {
    "tkg": "https://w3id.org/treatykg/ontology#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
}


def load_ontology(kg: KnowledgeGraph) -> None:
    g = ox.NamedNode(ONTOLOGY_GRAPH)
    for f in resources.ontology_files():
        try:
            kg.store.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=g)
        except SyntaxError as exc:
            raise InputError(f"{f}:{exc.args[1][1] if len(exc.args) > 1 else '?'}: malformed ontology: {exc.args[0]}") from None


def load_graph(data: Iterable[Path | str] | None = None, *, derive: bool = True, use_cache: bool = True) -> KnowledgeGraph:
    """Load the shipped graph (or the ``data`` files and folders) with the ontology and,
    unless ``derive`` is False, the derived status layer."""
    if data is None and use_cache and derive and not os.environ.get("TREATYKG_NO_CACHE"):
        from treatykg import cache

        return cache.shipped_graph()
    kg = load_asserted(data)
    return complete(kg, derive=derive)


def load_asserted(data: Iterable[Path | str] | None = None) -> KnowledgeGraph:
    """The first half of :func:`load_graph`: the ontology and the data files (default: the
    shipped graph), each in its named graph; no derived layer, nothing in the default graph."""
    kg = KnowledgeGraph()
    load_ontology(kg)
    roots = [Path(p) for p in data] if data is not None else [resources.graph_dir()]
    for root in roots:
        base = root if root.is_dir() else root.parent
        for f in data_files([root]):
            load_file(kg.store, f, base)
    return kg


def complete(kg: KnowledgeGraph, *, derive: bool = True) -> KnowledgeGraph:
    """The second half of :func:`load_graph`: derive the status layer (unless ``derive`` is
    False) and copy the union of the named graphs into the default graph."""
    if derive:
        from treatykg.derive import derive_into

        derive_into(kg)
    kg.materialize_union()
    return kg
