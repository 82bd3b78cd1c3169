"""Validate a treatykg graph against the SHACL shapes in ``shapes/``.

>>> from treatykg.validate import validate
>>> result = validate(graph)                     # doctest: +SKIP
>>> result.conforms, print(result.text())         # doctest: +SKIP

The shapes are split by severity: ``core.ttl`` (sh:Violation), ``recommended.ttl``
(sh:Warning) and ``info.ttl`` (sh:Info). Only violations make a graph non-conforming.

No inference: the data graph is the graph to validate plus the ontology files
(``ontology/treatykg.ttl`` for the subclass closure that ``sh:targetClass`` / ``sh:class``
follow, ``ontology/vocab.ttl`` for the concepts): the ontology is small, so adding it costs
little, while RDFS or OWL inference over a large graph costs a great deal.

``data`` may be an ``rdflib.Graph`` or ``rdflib.Dataset`` (named graphs are merged), a
:class:`treatykg.kg.KnowledgeGraph` or a ``pyoxigraph.Store``. The validator always works on
the default graph of an Oxigraph store: an rdflib graph is copied into one; a store whose
default graph already holds the data and the ontology (every KnowledgeGraph: its default
graph is the set union of its named graphs) is used in place; a store with only named graphs
is validated as their union.

Two engines give the same results (``tests/test_validate_engines.py`` runs both on every
shape fixture and on real data):

* ``sparql`` (the default): each core constraint compiled into one SPARQL query over the
  whole store (:mod:`treatykg.shacl_sparql`); a shape it cannot compile goes to pySHACL;
* ``pyshacl``: pySHACL (``inference='none'``) over the Oxigraph store, for every core shape.

With both, SPARQL-based constraints (the few shapes with ``sh:sparql``) are evaluated by
:mod:`treatykg.sparql_constraints` as one query per constraint with the shape's targets
joined in, instead of pySHACL's one query per focus node, which over the shipped graph would be
tens of thousands of queries.

This module holds what the engines share: reading the shapes, preparing the data store,
the :class:`Finding` and :class:`ValidationResult` types and their display, reading a pySHACL
report, and :func:`validate`, which splits the shapes between :mod:`treatykg.shacl_sparql`
(core constraints compiled to SPARQL), :mod:`treatykg.sparql_constraints` (``sh:sparql``) and
pySHACL, runs them and merges their findings.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox
import pyshacl
from pyshacl.graph_abstraction import OxigraphDataGraph
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from treatykg import resources
from treatykg.errors import InputError
from treatykg.shacl_sparql import Check, Subclasses, compile_shape

__all__ = ["Finding", "ValidationResult", "validate", "short", "SEVERITIES", "ENGINES", "DEFAULT_ENGINE"]

#: Validation engines (see the module docstring); the first is the default.
ENGINES = ("sparql", "pyshacl")
DEFAULT_ENGINE = ENGINES[0]

TKGSH = "https://w3id.org/treatykg/shapes#"

#: Severity IRIs and their names, most severe first.
SEVERITIES: dict[URIRef, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_RANK = {name: i for i, name in enumerate(SEVERITIES.values())}

# Longest namespace first, so that id/ wins over the bare base.
_SHORT = sorted(
    {
        "tkg:": "https://w3id.org/treatykg/ontology#",
        "tkgsh:": TKGSH,
        "id:": "https://w3id.org/treatykg/id/",
        "vocab:": "https://w3id.org/treatykg/vocab/",
        "graph:": "https://w3id.org/treatykg/graph/",
        "prov:": "http://www.w3.org/ns/prov#",
        "dct:": "http://purl.org/dc/terms/",
        "rdf:": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs:": "http://www.w3.org/2000/01/rdf-schema#",
        "skos:": "http://www.w3.org/2004/02/skos/core#",
        "xsd:": "http://www.w3.org/2001/XMLSchema#",
        "owl:": "http://www.w3.org/2002/07/owl#",
        "sh:": "http://www.w3.org/ns/shacl#",
        "org:": "http://www.w3.org/ns/org#",
    }.items(),
    key=lambda kv: -len(kv[1]),
)


def short(term: Node | str | None) -> str:
    """A short, readable form of a term: ``id:act/untc-IV-9/RUS/...``, ``tkg:Treaty``,
    ``"1998-05-05"``; IRIs outside the known namespaces stay ``<...>``."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return f'"{term}"'
    if isinstance(term, BNode):
        return f"_:{term}"
    s = str(term)
    for prefix, ns in _SHORT:
        if s.startswith(ns) and len(s) > len(ns):
            return prefix + s[len(ns):]
    return f"<{s}>"


_NAMESPACE = re.compile("(" + "|".join(re.escape(ns) for _, ns in _SHORT) + r")(?=\S)")
_PREFIX = {ns: prefix for prefix, ns in _SHORT}


def _shorten_text(text: str) -> str:
    """Every full IRI of a known namespace in ``text`` (longest namespace first) in short form."""
    return _NAMESPACE.sub(lambda m: _PREFIX[m.group(1)], text)


@dataclass(frozen=True)
class Finding:
    """One validation result."""

    severity: str  # "Violation", "Warning" or "Info"
    focus: Node
    path: str | None  # the property path, in SPARQL syntax with short IRIs
    value: Node | None
    shape: Node  # the named shape that produced it (sh:sourceShape)
    component: URIRef  # sh:sourceConstraintComponent
    message: str
    shape_name: str = ""  # sh:name of the shape

    @property
    def shape_id(self) -> str:
        """``TreatyAct_actor`` for ``tkgsh:TreatyAct_actor``."""
        s = str(self.shape)
        return s[len(TKGSH):] if s.startswith(TKGSH) else short(self.shape)

    def sort_key(self) -> tuple:
        return (
            _RANK.get(self.severity, 9),
            self.shape_id,
            str(self.focus),
            self.path or "",
            str(self.value) if self.value is not None else "",
            self.message,
            str(self.component),
        )

    def line(self) -> str:
        out = f"{self.severity:<9} {self.shape_id} {short(self.focus)}: {self.message}"
        if self.value is not None and short(self.value) not in self.message and str(self.value) not in self.message:
            out += f" [value {short(self.value)}]"
        return out


@dataclass
class ValidationResult:
    conforms: bool
    results: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = {name: 0 for name in SEVERITIES.values()}
        for f in self.results:
            c[f.severity] = c.get(f.severity, 0) + 1
        return c

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.results if f.severity == severity]

    def summary(self) -> str:
        c = self.counts()
        verdict = "conforms" if self.conforms else "does not conform"
        return (
            f"{c['Violation']} violation(s), {c['Warning']} warning(s), {c['Info']} info(s): "
            f"the graph {verdict}"
        )

    def text(self, *, limit: int | None = None) -> str:
        """One line per finding (severity, shape, focus node, message), then a summary line.
        ``limit`` keeps the first findings only (most severe first)."""
        shown = self.results if limit is None else self.results[:limit]
        lines = [f.line() for f in shown]
        if limit is not None and len(self.results) > limit:
            lines.append(f"... {len(self.results) - limit} more")
        lines.append(self.summary())
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# loading shapes and ontology (cached by file and modification time)

_graph_cache: dict[tuple, Graph] = {}


def _parse_files(paths: Iterable[Path]) -> Graph:
    paths = [Path(p) for p in paths]
    key = tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in paths)
    g = _graph_cache.get(key)
    if g is None:
        g = Graph()
        for p in paths:
            try:
                g.parse(p, format="turtle")
            except Exception as exc:  # rdflib raises several kinds of syntax errors
                raise InputError(f"{p}: cannot read shapes or ontology: {exc}") from None
        _graph_cache[key] = g
    return g


def shapes_graph(shapes: list[Path] | None = None) -> Graph:
    """The shapes graph: ``shapes`` or every file of :func:`treatykg.resources.shape_files`."""
    files = list(shapes) if shapes is not None else resources.shape_files()
    if not files:
        raise InputError("no shape files to validate with")
    for f in files:
        if not Path(f).is_file():
            raise InputError(f"{f}: no such shapes file")
    return _parse_files(files)


# ---------------------------------------------------------------------------------------
# the data graph: always an Oxigraph store (fast SPARQL, same semantics for every input)

_ONTOLOGY_MARK = (
    ox.NamedNode("https://w3id.org/treatykg/ontology#TreatyAct"),
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
    ox.NamedNode("https://w3id.org/treatykg/ontology#Event"),
)


class _DataGraph(OxigraphDataGraph):
    """pySHACL's Oxigraph data graph, minus one cost: pySHACL tests the data graph's truth
    value for every result (``datagraph or shapes_graph``), which for an Oxigraph store runs
    a COUNT over all triples. A store handed to the validator is never "false"."""

    def __bool__(self) -> bool:
        return True


_ontology_cache: dict[tuple, bytes] = {}


def _with_ontology(store: ox.Store) -> ox.Store:
    """Add the ontology files to ``store`` (parsed once, then loaded as N-Triples)."""
    files = resources.ontology_files()
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    nt = _ontology_cache.get(key)
    if nt is None:
        tmp = ox.Store()
        for f in files:
            tmp.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
        nt = tmp.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        _ontology_cache.clear()
        _ontology_cache[key] = nt
    store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


def _store_data(store: ox.Store) -> ox.Store:
    """The store itself when its default graph holds the ontology (a KnowledgeGraph: the
    union of its named graphs); else a copy of its default graph, or of the union of its named
    graphs if the default graph is empty, with the ontology."""
    default = ox.DefaultGraph()
    if next(iter(store.quads_for_pattern(*_ONTOLOGY_MARK, default)), None) is not None:
        return store
    has_default = next(iter(store.quads_for_pattern(None, None, None, default)), None) is not None
    copy = ox.Store()  # its default graph is a set: a triple in two named graphs is kept once
    copy.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object, default)
        for q in store.quads_for_pattern(None, None, None, default if has_default else None)
    )
    return _with_ontology(copy)


def _rdflib_data(data: Graph) -> ox.Store:
    store = ox.Store()
    if isinstance(data, ConjunctiveGraph):  # a Dataset too: every graph, validated as their union
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        data = union
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return _with_ontology(store)


def _data_store(data) -> ox.Store:
    """An Oxigraph store whose default graph is the data to validate plus the ontology."""
    store = getattr(data, "store", None)
    if isinstance(store, ox.Store):  # treatykg.kg.KnowledgeGraph
        return _store_data(store)
    if isinstance(data, ox.Store):
        return _store_data(data)
    if isinstance(data, Graph):
        return _rdflib_data(data)
    raise TypeError(
        f"cannot validate {type(data).__name__}: give an rdflib Graph or Dataset, a KnowledgeGraph or a pyoxigraph Store"
    )


# ---------------------------------------------------------------------------------------
# reading the report


def path_text(g: Graph, node: Node | None) -> str | None:
    """A SHACL property path as SPARQL path text with short IRIs: ``tkg:treaty/tkg:adoptedOn``,
    ``^tkg:hasClause``, ``(tkg:date|tkg:datePrecision)``."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return short(node)
    if (node, RDF.first, None) in g:
        return "/".join(path_text(g, n) or "" for n in Collection(g, node))
    for pred, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = g.value(node, pred)
        if inner is not None:
            return fmt.format(path_text(g, inner))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(path_text(g, n) or "" for n in Collection(g, alt)) + ")"
    return short(node)


def _named_shape(sg: Graph, shape: Node) -> Node:
    """The nearest IRI-named shape that contains ``shape`` (itself if it is named)."""
    seen = {shape}
    frontier = [shape]
    while frontier:
        nxt = []
        for n in frontier:
            if isinstance(n, URIRef):
                return n
            for s in sg.subjects(None, n):
                if s not in seen:
                    seen.add(s)
                    nxt.append(s)
        frontier = nxt
    return shape


def _fill(message: str, focus: Node, value: Node | None, path: str | None) -> str:
    message = message.replace("{$this}", short(focus)).replace("{?this}", short(focus))
    message = message.replace("{?value}", short(value) if value is not None else "")
    message = message.replace("{?path}", path or "").replace("{$path}", path or "")
    return _shorten_text(message)


def _findings(report: Graph, sg: Graph) -> list[Finding]:
    out: list[Finding] = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        severity = SEVERITIES.get(report.value(r, SH.resultSeverity), str(report.value(r, SH.resultSeverity)))
        focus = report.value(r, SH.focusNode)
        value = report.value(r, SH.value)
        path = path_text(report, report.value(r, SH.resultPath))
        source = report.value(r, SH.sourceShape)
        shape = _named_shape(sg, source) if isinstance(source, BNode) else source
        messages = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        if len(messages) > 1:  # a SPARQL constraint's own message replaces its shape's
            own = {str(m) for m in sg.objects(source, SH.message)}
            messages = [m for m in messages if m not in own] or messages
        message = _fill("; ".join(messages), focus, value, path) if messages else "(no message)"
        name = sg.value(shape, SH.name)
        out.append(
            Finding(
                severity=severity,
                focus=focus,
                path=path,
                value=value,
                shape=shape,
                component=report.value(r, SH.sourceConstraintComponent),
                message=message,
                shape_name=str(name) if name is not None else "",
            )
        )
    out.sort(key=Finding.sort_key)
    return out


# ---------------------------------------------------------------------------------------


def _compiled_findings(sg: Graph, check: Check, store: ox.Store) -> list[Finding]:
    """The results of one compiled constraint, as pySHACL reports them."""
    shape = check.shape
    severity_iri = sg.value(shape, SH.severity) or SH.Violation
    severity = SEVERITIES.get(severity_iri, str(severity_iri))
    path = path_text(sg, sg.value(shape, SH.path))
    messages = "; ".join(sorted(str(m) for m in sg.objects(shape, SH.message)))
    name = str(sg.value(shape, SH.name) or "")
    return [
        Finding(severity=severity, focus=row.focus, path=path, value=row.value, shape=shape,
                component=row.component, message=_fill(messages, row.focus, row.value, path), shape_name=name)
        for row in check.rows(store)
    ]


def _pyshacl_findings(sg: Graph, shapes: list[URIRef], store: ox.Store) -> list[Finding]:
    _, report, _ = pyshacl.validate(
        _DataGraph(store),
        shacl_graph=sg,
        inference="none",
        inplace=True,
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=False,
        use_shapes=[str(s) for s in shapes],
    )
    return _findings(report, sg)


_JOBS: list[Callable[[], list[Finding]]] = []  # the jobs of the run in progress (read by forked workers)
_PARALLEL_FROM = 16  # jobs


def _job(i: int) -> list[Finding]:
    return _JOBS[i]()


def _run(jobs: list[Callable[[], list[Finding]]], workers: int) -> list[list[Finding]]:
    """Run the jobs: in ``workers`` forked processes where the platform forks (each inherits
    the store and the compiled checks, copy-on-write, and sends back its findings), else (or
    inside a daemon process, which may not have children) in threads. Processes, because a job also spends Python time on its rows, which threads
    would serialise on the GIL. A few jobs (a run restricted to a few shapes) run here: a pool
    would cost more than it saves."""
    if workers <= 1 or len(jobs) < _PARALLEL_FROM:
        return [job() for job in jobs]
    if "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon:
        global _JOBS
        _JOBS = jobs
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return pool.map(_job, range(len(jobs)), chunksize=1)
        finally:
            _JOBS = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: job(), jobs))


def validate(
    data: Graph | ConjunctiveGraph,
    *,
    shapes: list[Path] | None = None,
    only: Iterable[str | URIRef] | None = None,
    engine: str = DEFAULT_ENGINE,
    workers: int | None = None,
) -> ValidationResult:
    """Validate ``data`` (an rdflib Graph or Dataset, a :class:`~treatykg.kg.KnowledgeGraph`
    or a pyoxigraph Store) against ``shapes`` (default: every file in ``shapes/``).

    ``only`` restricts the run to the named shapes (IRIs, or ``tkgsh:`` local names).
    ``engine`` is ``"sparql"`` (default) or ``"pyshacl"`` (see the module docstring); both
    give the same results. ``workers`` processes share the queries (default: 2, or 1 on one
    core; 1 runs everything in this process).
    ``conforms`` is true when no result has severity sh:Violation.
    """
    if engine not in ENGINES:
        raise InputError(f"no validation engine {engine!r} (engines: {', '.join(ENGINES)})")
    sg = shapes_graph(shapes)
    named = sorted(
        {s for kind in (SH.NodeShape, SH.PropertyShape) for s in sg.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    )
    if only is not None:
        wanted = [URIRef(str(s) if str(s).startswith(("http:", "https:")) else TKGSH + str(s).removeprefix("tkgsh:")) for s in only]
        for s in wanted:
            if s not in named:
                raise InputError(f"no shape {short(s)} in the shapes graph")
        named = sorted(set(wanted))
    named = [s for s in named if (s, SH.deactivated, Literal(True)) not in sg]
    sparql_shapes = [s for s in named if (s, SH.sparql, None) in sg]
    core_shapes = [s for s in named if s not in sparql_shapes]
    # imported here: sparql_constraints builds this module's Findings (it imports this module)
    from treatykg.sparql_constraints import shape_findings

    store = _data_store(data)
    subclasses = Subclasses(store)
    # the longest jobs first: pySHACL (if it has shapes to check), then the SPARQL constraints
    jobs: list[Callable[[], list[Finding]]] = [lambda s=s: shape_findings(store, sg, s, subclasses) for s in sparql_shapes]
    if engine == "sparql":
        compiled = {s: compile_shape(sg, s, subclasses) for s in core_shapes}
        core_shapes = [s for s, checks in compiled.items() if checks is None]
        jobs += [lambda c=c: _compiled_findings(sg, c, store) for checks in compiled.values() for c in checks or ()]
    if core_shapes:
        jobs.insert(0, lambda: _pyshacl_findings(sg, core_shapes, store))
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    findings = [f for part in _run(jobs, workers) for f in part]
    findings.sort(key=Finding.sort_key)
    return ValidationResult(conforms=not any(f.severity == "Violation" for f in findings), results=findings)
