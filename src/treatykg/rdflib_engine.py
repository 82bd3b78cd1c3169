"""The same questions answered by rdflib: the baseline of the benchmark and the check that
the embedded store gives the same answers.

:class:`RdflibGraph` has the reading interface of :class:`treatykg.kg.KnowledgeGraph`
(``select``, ``ask``, ``pairs``, ``len``) and the two writing methods the derivation uses
(``add_graph_triples``, ``clear_graph``), so :func:`treatykg.derive.derive_into` and
:func:`treatykg.queries.run` work on it unchanged. The data sit in an ``rdflib.Dataset``
whose default graph is the union of the named graphs, as ``use_default_graph_as_union`` in
pyoxigraph. Parameters are bound with rdflib's ``initBindings``. Results are returned as
:class:`treatykg.kg.Result` with pyoxigraph terms, so the answers of both engines compare
term by term (a plain rdflib literal becomes an ``xsd:string`` literal, as in RDF 1.1).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
import rdflib

from treatykg.kg import bind_values  # noqa: E402
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD as _XSD

from treatykg import limits
from treatykg.errors import InputError
from treatykg.kg import FILE_GRAPH, ONTOLOGY_GRAPH, KnowledgeGraph, Result, _graph_name_for, data_files, to_python

_XSD_STRING = ox.NamedNode(str(_XSD.string))
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_PARSE_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}
_QUAD_FORMATS = {".trig", ".nq", ".jsonld"}


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    """An rdflib term as the pyoxigraph term with the same RDF meaning."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def to_rdflib(value, *, keep_string_datatype: bool = False):
    """A Python value or pyoxigraph term as an rdflib term (same rules as ``kg.to_term``).
    An xsd:string literal becomes a plain literal, as rdflib parses it, unless
    ``keep_string_datatype`` (pySHACL's view of a literal read from a store)."""
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if isinstance(value, ox.Literal):
        if value.language:
            return Literal(value.value, lang=value.language)
        dt = value.datatype.value if value.datatype is not None else None
        plain = not dt or (dt == _XSD_STRING.value and not keep_string_datatype)
        return Literal(value.value, datatype=None if plain else URIRef(dt))
    if isinstance(value, (URIRef, BNode, Literal)):
        return value
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return Literal(value.isoformat(), datatype=_XSD.date)
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=_XSD.boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=_XSD.integer)
    s = str(value)
    if s.startswith(("http://", "https://", "urn:")):
        return URIRef(s)
    return Literal(s)


class RdflibGraph:
    """The knowledge graph in an in-memory ``rdflib.Dataset`` (default graph = union)."""

    def __init__(self, dataset: rdflib.Dataset | None = None):
        self.dataset = dataset if dataset is not None else rdflib.Dataset(default_union=True)
        self.dataset.default_union = True

    # ---- construction ----------------------------------------------------------------
    @classmethod
    def from_kg(cls, kg: KnowledgeGraph) -> "RdflibGraph":
        """The same quads as ``kg``, term by term (no serialisation round trip)."""
        ds = rdflib.Dataset(default_union=True)
        memo: dict = {}

        def conv(t):
            r = memo.get(t)
            if r is None:
                r = memo[t] = to_rdflib(t)
            return r

        graphs: dict = {}
        # rdflib 7.1 renamed Dataset.default_context to default_graph (the old name warns)
        default = ds.default_graph if hasattr(type(ds), "default_graph") else ds.default_context

        def graph(name):
            g = graphs.get(name)
            if g is None:
                g = graphs[name] = ds.graph(URIRef(name.value)) if isinstance(name, ox.NamedNode) else default
            return g

        ds.addN((conv(q.subject), conv(q.predicate), conv(q.object), graph(q.graph_name)) for q in kg.store)
        return cls(ds)

    @classmethod
    def load(cls, data: Iterable[Path | str], *, ontology: bool = True, derive: bool = True) -> "RdflibGraph":
        """Parse files and folders as :func:`treatykg.kg.load_graph` does (same graph names)."""
        from treatykg import resources

        g = cls()
        if ontology:
            for f in resources.ontology_files():
                g.dataset.graph(URIRef(ONTOLOGY_GRAPH)).parse(str(f), format="turtle")
        for root in [Path(p) for p in data]:
            base = root if root.is_dir() else root.parent
            for f in data_files([root]):
                g.load_file(f, base)
        if derive:
            from treatykg.derive import derive_into

            derive_into(g)
        return g

    def load_file(self, path: Path, root: Path | None = None) -> None:
        fmt = _PARSE_FORMATS[path.suffix]
        try:
            if path.suffix in _QUAD_FORMATS:
                self.dataset.parse(str(path), format=fmt)
            else:
                self.dataset.graph(URIRef(_graph_name_for(path, root))).parse(str(path), format=fmt)
        except Exception as exc:  # rdflib raises many kinds of parse errors
            raise InputError(f"{path}: cannot load with rdflib: {exc}") from None

    # ---- reading ---------------------------------------------------------------------
    def pairs(self, predicate: str) -> Iterator[tuple[str, object]]:
        for s, _, o, _ in self.dataset.quads((None, URIRef(predicate), None, None)):
            yield to_python(to_ox(s)), to_python(to_ox(o))

    def select(self, query: str, bindings: dict | None = None, *, timeout: float | None = None) -> Result:
        # the same binding as the embedded store (a leading VALUES block of RDF terms):
        # rdflib's initBindings are not pushed into OPTIONAL and FILTER scopes the same way
        text = bind_values(query, bindings)

        def evaluate():
            res = self.dataset.query(text)
            if res.type != "SELECT":
                raise InputError(f"not a SELECT query ({res.type})")
            variables = [str(v) for v in res.vars]
            return variables, [tuple(to_ox(t) for t in row) for row in res]

        variables, rows = limits.run(evaluate, limits.effective(timeout))
        return Result(variables, rows)

    def ask(self, query: str, bindings: dict | None = None) -> bool:
        text = bind_values(query, bindings)
        return limits.run(lambda: bool(self.dataset.query(text).askAnswer),
                          limits.effective(None))

    def __len__(self) -> int:
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))

    # ---- writing (what the derivation needs) -------------------------------------------
    def add_graph_triples(self, graph: str, triples: Iterable[tuple]) -> None:
        g = self.dataset.graph(URIRef(graph))
        g.addN((to_rdflib(s), to_rdflib(p), to_rdflib(o), g) for s, p, o in triples)

    def add_nquads(self, graph: str, triples: Iterable[tuple]) -> None:
        """Same as :meth:`add_graph_triples` (the name the derivation uses for bulk adds)."""
        self.add_graph_triples(graph, triples)

    def clear_graph(self, graph: str) -> None:
        self.dataset.remove_graph(URIRef(graph))


__all__ = ["RdflibGraph", "to_ox", "to_rdflib", "FILE_GRAPH"]
