"""The ``sparql`` validation engine: SHACL core constraints compiled to SPARQL on Oxigraph.

pySHACL evaluates every constraint in Python, node by node, turning each triple it reads into
rdflib terms; over the shipped graph (1.6M triples) that takes minutes. This engine compiles
each constraint of a named shape into one SELECT over the whole store, with the shape's
targets joined in, so Oxigraph does the work and Python sees only the rows that may be
results. It gives what pySHACL gives: the same results (focus node, shape, severity, path,
constraint component, value, message), one per pySHACL result.

Two things keep it fast. Class targets and ``sh:class`` read the subclass closure of the class
once (:class:`Subclasses`) instead of walking ``rdfs:subClassOf*`` for every node. And most
constraints hold, so each check on property values first asks, without the targets, whether
any node at all breaks it (:attr:`Check.probe`); only if one does is the query with the targets
run.

Each :class:`Check` is a query plus, where SPARQL and pySHACL could disagree on odd input,
a Python verification of every row the query returns:

* the query keeps a value node unless it *certainly* conforms (an xsd:date of the form
  ``YYYY-MM-DD`` that Oxigraph reads as a date, say). A value whose status is certain in
  SPARQL (a missing type, a wrong datatype) is a result at once;
* the rows left are decided by the same rules pySHACL applies (rdflib literal parsing for
  datatypes, rdflib ordering for sh:lessThan, Python ``re`` for sh:pattern), so an ill-typed
  or unusual literal gives the result pySHACL would give.

The constraint components compiled are those the shapes in ``shapes/`` use (see
:data:`PARAMETERS`). A shape with any other parameter, a literal in ``sh:in``, a pattern
outside the regex subset Python and Oxigraph read alike, or a nested shape that is not a
simple test is not compiled: :func:`compile_shape` returns ``None`` and the caller validates
that shape with pySHACL.

How it relates to its neighbours: this module *compiles* SHACL core constraints into SPARQL
(the name says "SHACL to SPARQL"); the shapes' own SPARQL queries (``sh:sparql``, the
"SPARQL-based constraints" of the SHACL spec) are not handled here but by
:mod:`treatykg.sparql_constraints`, which uses this module's :func:`target_pattern`,
:class:`Subclasses` and :func:`to_rdflib`. :func:`treatykg.validate.validate` runs both and
turns the rows of a :class:`Check` into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Callable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from rdflib.term import Node

from treatykg.rdflib_engine import to_rdflib as _engine_to_rdflib

__all__ = ["Check", "Row", "Subclasses", "compile_shape", "target_pattern", "sparql_path", "to_rdflib"]

# Parameters a compiled shape may carry: constraint parameters, then those that constrain nothing.
PARAMETERS = {
    SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH["in"],
    SH.lessThan, SH.lessThanOrEquals, SH.equals, SH["or"], SH["not"], SH.minInclusive,
    SH.qualifiedValueShape, SH.qualifiedMinCount,
}
NEUTRAL = {
    RDF.type, SH.name, SH.description, SH.message, SH.severity, SH.path, SH.order, SH.group,
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode,
}
_TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class Unsupported(Exception):
    """A shape (or a part of it) this engine does not compile."""


@dataclass(frozen=True)
class Row:
    """One result: focus node, value (or None) and the constraint component."""

    focus: Node
    value: Node | None
    component: URIRef


@dataclass
class Check:
    """One constraint of one shape: a query and, if needed, a verification of each row.

    ``probe``, when given, is an ASK query without the shape's targets that is true whenever
    ``query`` has a solution (it asks for the same rows over every node, not only the focus
    nodes). Most constraints hold, and the probe skips joining the targets (a scan of every
    instance of a class) in exactly that case."""

    shape: URIRef
    component: URIRef
    query: str
    reports_value: bool  # whether results carry sh:value (rows then have ?value)
    verify: Callable[[dict], bool] | None = None  # row -> is it a result?
    probe: str | None = None

    def rows(self, store: ox.Store) -> list[Row]:
        if self.probe is not None and not bool(store.query(self.probe)):
            return []
        out = []
        for row in self.solutions(store):
            if self.verify is not None and not self.verify(row):
                continue
            out.append(Row(row["this"], row.get("value") if self.reports_value else None, self.component))
        return out

    def solutions(self, store: ox.Store) -> list[dict]:
        res = store.query(self.query)
        names = [v.value for v in res.variables]
        return [{n: to_rdflib(s[n]) for n in names if s[n] is not None} for s in res]


def to_rdflib(term) -> Node:
    """An Oxigraph term as the rdflib term pySHACL would see (plain literals as xsd:string)."""
    if not isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        raise TypeError(f"unexpected term {term!r}")
    return _engine_to_rdflib(term, keep_string_datatype=True)


# ---------------------------------------------------------------------------------------
# targets and paths


class Subclasses:
    """The subclass closure of a class in a store (``rdfs:subClassOf*``, the class included),
    asked once per class: a list of types to join on is far cheaper for Oxigraph than the
    path ``rdf:type/rdfs:subClassOf*`` evaluated row by row."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._cache: dict[URIRef, list[URIRef] | None] = {}

    def __call__(self, cls: URIRef) -> list[URIRef] | None:
        """The closure, or None if it holds a blank node (which a VALUES list cannot name)."""
        if cls not in self._cache:
            q = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}"
            found = [r["c"] for r in self.store.query(q)]
            named = all(isinstance(c, ox.NamedNode) for c in found)
            self._cache[cls] = sorted({cls} | {URIRef(c.value) for c in found}) if named else None
        return self._cache[cls]

    def instance(self, x: str, cls: URIRef, var: str) -> str:
        """A group pattern: ``x`` is an instance of ``cls`` (``var`` names the type)."""
        closure = self(cls)
        if closure is None:
            return f"{{ {x} {_TYPE_PATH} <{cls}> }}"
        return f"{{ VALUES {var} {{ {' '.join(f'<{c}>' for c in closure)} }} {x} <{RDF.type}> {var} }}"


def target_pattern(sg: Graph, shape: Node, subclasses: Subclasses | None = None) -> str:
    """A sub-select of the shape's focus nodes (``?this``), or "" if it has no target."""
    parts = []
    for c in sorted(sg.objects(shape, SH.targetClass)):
        parts.append(subclasses.instance("?this", c, "?targetType") if subclasses else f"{{ ?this {_TYPE_PATH} <{c}> }}")
    for p in sorted(sg.objects(shape, SH.targetSubjectsOf)):
        parts.append(f"{{ ?this <{p}> [] }}")
    for p in sorted(sg.objects(shape, SH.targetObjectsOf)):
        parts.append(f"{{ [] <{p}> ?this }}")
    for n in sorted(sg.objects(shape, SH.targetNode)):
        parts.append(f"{{ VALUES ?this {{ {n.n3()} }} }}")
    if not parts:
        return ""
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def sparql_path(sg: Graph, node: Node) -> str:
    """A SHACL property path as a SPARQL property path with full IRIs."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in sg:
        return "(" + "/".join(sparql_path(sg, n) for n in Collection(sg, node)) + ")"
    for pred, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                      (SH.zeroOrOnePath, "({})?")):
        inner = sg.value(node, pred)
        if inner is not None:
            return fmt.format(sparql_path(sg, inner))
    alt = sg.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(sparql_path(sg, n) for n in Collection(sg, alt)) + ")"
    raise Unsupported(f"property path {node}")


# ---------------------------------------------------------------------------------------
# pySHACL's rules for single values (the verification step)


def _actual_datatype(v: Literal, dt: URIRef) -> bool:
    value = v.value
    kinds = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
             XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}
    return isinstance(value, kinds[dt]) if dt in kinds else True


def datatype_conforms(v: Node, dt: URIRef) -> bool:
    """pySHACL's sh:datatype test for one value node."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == dt:
        return v.ill_typed is not True and _actual_datatype(v, dt)
    if dt == RDFS.Literal:
        return True
    if dt == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and dt == XSD.string:
        return _actual_datatype(v, dt)
    if dt == RDF.langString and v.language:
        return _actual_datatype(v, dt)
    return False


def _comparable(node: Node, what: str):
    if isinstance(node, BNode):
        from treatykg.errors import InputError

        raise InputError(f"cannot use {what} to compare a blank node ({node.n3()})")
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


def pair_conforms(value: Node, other: Node, or_equal: bool) -> bool:
    """pySHACL's sh:lessThan / sh:lessThanOrEquals test for one (value, other) pair."""
    what = "sh:lessThanOrEquals" if or_equal else "sh:lessThan"
    v, v_str = _comparable(value, what)
    o, o_str = _comparable(other, what)
    if v_str != o_str:
        return False
    return bool(v <= o) if or_equal else bool(v < o)


def min_inclusive_conforms(v: Node, m: Literal) -> bool:
    """pySHACL's sh:minInclusive test for one value node."""
    from pyshacl.rdfutil.compare import compare_literal

    if not isinstance(v, Literal):
        return False
    if isinstance(m.value, str) != isinstance(v.value, str):
        return False
    try:
        return compare_literal(v, m) >= 0
    except (TypeError, NotImplementedError):
        return False


# ---------------------------------------------------------------------------------------
# SPARQL tests that imply pySHACL's (a row they pass is certainly not a result)


def _safe_datatype(x: str, dt: URIRef) -> str | None:
    """An expression true only for values pySHACL accepts as ``dt`` (None: no such shortcut)."""
    if dt == XSD.string:
        return f"(isLiteral({x}) && datatype({x}) = <{XSD.string}>)"
    if dt == RDF.langString:
        return f'(isLiteral({x}) && LANG({x}) != "")'
    if dt == XSD.date:  # the plain day form, which rdflib and Oxigraph both read as the same date
        return (f'(isLiteral({x}) && datatype({x}) = <{XSD.date}> && REGEX(STR({x}), "{_DAY}") '
                f'&& !STRSTARTS(STR({x}), "0000") && COALESCE(<{XSD.date}>(STR({x})) = {x}, false))')
    if dt == XSD.boolean:
        return f'(isLiteral({x}) && datatype({x}) = <{XSD.boolean}> && STR({x}) IN ("true", "false", "1", "0"))'
    if dt == XSD.integer:
        return f'(isLiteral({x}) && datatype({x}) = <{XSD.integer}> && REGEX(STR({x}), "^[+-]?[0-9]+$"))'
    if dt == XSD.duration:
        return (f'(isLiteral({x}) && datatype({x}) = <{XSD.duration}> '
                f'&& REGEX(STR({x}), "^P([0-9]+Y)?([0-9]+M)?([0-9]+D)?$") && REGEX(STR({x}), "[0-9]"))')
    return None


def _safe_less(x: str, y: str, or_equal: bool) -> str:
    op = "<=" if or_equal else "<"
    return f"({_safe_datatype(x, XSD.date)} && {_safe_datatype(y, XSD.date)} && {x} {op} {y})"


# Regex syntax read the same way by Python ``re`` and by Oxigraph's REGEX: literal characters,
# escaped punctuation, bracket classes, groups, alternation, quantifiers and the anchors ^ $.
_SAFE_REGEX = re.compile(r"^(?:[^\\(\[]|\\[.\-/\\^$*+?()\[\]{}|]|\[(?:[^\\\]]|\\[.\-/\\\]^])+\]|\((?!\?))*$")


def _node_kind(x: str, kind: URIRef) -> str:
    tests = {
        SH.IRI: f"isIRI({x})", SH.BlankNode: f"isBlank({x})", SH.Literal: f"isLiteral({x})",
        SH.BlankNodeOrIRI: f"(isBlank({x}) || isIRI({x}))", SH.BlankNodeOrLiteral: f"(isBlank({x}) || isLiteral({x}))",
        SH.IRIOrLiteral: f"(isIRI({x}) || isLiteral({x}))",
    }
    if kind not in tests:
        raise Unsupported(f"sh:nodeKind {kind}")
    return tests[kind]


def _iri_list(sg: Graph, lst: Node) -> list[URIRef]:
    items = list(Collection(sg, lst))
    if not all(isinstance(i, URIRef) for i in items):
        raise Unsupported("sh:in with literals or blank nodes")
    return items


def _in_test(x: str, items: list[URIRef]) -> str:
    return "(" + " || ".join(f"sameTerm({x}, <{i}>)" for i in items) + ")" if items else "false"


@dataclass
class _Member:
    """A nested shape (in sh:or, sh:not, sh:qualifiedValueShape) as a test on a node."""

    expr: str  # true: the node certainly conforms
    exact: bool  # false: the node may conform although expr is false ...
    check: Callable[[Node], bool] | None = None  # ... and check decides


def _member(sg: Graph, node: Node, x: str, subclasses: Subclasses) -> _Member:
    preds = set(sg.predicates(node)) - {RDF.type}
    if preds == {SH["class"]} and len(list(sg.objects(node, SH["class"]))) == 1:
        return _Member(f"EXISTS {subclasses.instance(x, sg.value(node, SH['class']), '?memberType')}", True)
    if preds == {SH.datatype} and len(list(sg.objects(node, SH.datatype))) == 1:
        dt = sg.value(node, SH.datatype)
        safe = _safe_datatype(x, dt)
        return _Member(safe or "false", False, lambda v, dt=dt: datatype_conforms(v, dt))
    if preds == {SH.nodeKind}:
        return _Member(_node_kind(x, sg.value(node, SH.nodeKind)), True)
    if preds == {SH["in"]}:
        return _Member(_in_test(x, _iri_list(sg, sg.value(node, SH["in"]))), True)
    if preds == {SH.property} and len(list(sg.objects(node, SH.property))) == 1:
        prop = sg.value(node, SH.property)
        p_preds = set(sg.predicates(prop)) - {RDF.type}
        path = sparql_path(sg, sg.value(prop, SH.path))
        has = sg.value(prop, SH.hasValue)
        if p_preds == {SH.path, SH.hasValue} and isinstance(has, URIRef):
            return _Member(f"EXISTS {{ {x} {path} <{has}> }}", True)
        if p_preds == {SH.path, SH.minCount} and int(sg.value(prop, SH.minCount)) == 1:
            return _Member(f"EXISTS {{ {x} {path} [] }}", True)
    raise Unsupported(f"nested shape {node}")


# ---------------------------------------------------------------------------------------
# compiling one named shape


def _one(sg: Graph, shape: Node, param: URIRef) -> Node:
    values = list(sg.objects(shape, param))
    if len(values) != 1:
        raise Unsupported(f"{len(values)} values of {param}")
    return values[0]


def compile_shape(sg: Graph, shape: URIRef, subclasses: Subclasses) -> list[Check] | None:
    """The checks of ``shape`` (with the class closures of the store ``subclasses`` reads),
    or None if this engine does not compile it (pySHACL must)."""
    try:
        return _compile(sg, shape, subclasses)
    except Unsupported:
        return None


def _compile(sg: Graph, shape: URIRef, subclasses: Subclasses) -> list[Check]:
    preds = set(sg.predicates(shape))
    if preds - PARAMETERS - NEUTRAL:
        raise Unsupported(f"parameters {preds - PARAMETERS - NEUTRAL}")
    if not list(sg.objects(shape, SH.message)) or len(list(sg.objects(shape, SH.severity))) > 1:
        raise Unsupported("no message or several severities")
    if (shape, RDF.type, RDFS.Class) in sg:
        raise Unsupported("implicit class target")
    target = target_pattern(sg, shape, subclasses)
    if not target:
        return []
    is_property = (shape, SH.path, None) in sg
    if is_property:
        path = sparql_path(sg, _one(sg, shape, SH.path))
        values, v = f"?this {path} ?value .", "?value"
    else:
        values, v = "", "?this"
    checks: list[Check] = []

    def add(component: str, where: str, *, value: bool = True, verify=None, select: str | None = None,
            having: str = "", probe: bool = True):
        """One check: ``where`` joined with the targets gives the rows, ``having`` filters
        groups of ?this. With ``probe`` (which needs ``where`` to bind ?this by itself: not
        for node shapes, nor for minima) the rows are first found over all nodes, then joined
        with the targets: Oxigraph then joins the few rows found, not every focus node."""
        if select is None:
            select = "SELECT DISTINCT ?this" + (f" ({v} AS ?value)" if value and v == "?this" else " ?value" if value else "")
        group = f" GROUP BY ?this HAVING ({having})" if having else ""
        if probe and is_property:
            inner = f"SELECT {'?this' if having else '*'} WHERE {{ {where} }}{group}"
            query = f"{select} WHERE {{ {{ {inner} }} {target} }}"
            ask = f"ASK {{ {{ {inner} }} }}"
        else:
            query, ask = f"{select} WHERE {{ {target} {where} }}{group}", None
        checks.append(Check(shape, SH[component + "ConstraintComponent"], query, value, verify, ask))

    for n in sg.objects(shape, SH.minCount):
        n = int(n)
        if not is_property:
            raise Unsupported("sh:minCount on a node shape")
        if n == 1:
            add("MinCount", f"MINUS {{ ?this {path} ?value }}", value=False, probe=False)
        elif n > 1:
            add("MinCount", f"OPTIONAL {{ {values} }}", value=False, select="SELECT ?this",
                having=f"COUNT(DISTINCT ?value) < {n}", probe=False)
    for n in sg.objects(shape, SH.maxCount):
        n = int(n)
        if not is_property:
            raise Unsupported("sh:maxCount on a node shape")
        if n == 0:
            add("MaxCount", values, value=False)
        else:
            add("MaxCount", values, value=False, select="SELECT ?this", having=f"COUNT(DISTINCT ?value) > {n}")
    for c in sg.objects(shape, SH["class"]):
        add("Class", f"{values} MINUS {subclasses.instance(v, c, '?type')}")
    for dt in sg.objects(shape, SH.datatype):
        safe = _safe_datatype(v, dt)
        add("Datatype", values + (f" FILTER(!{safe})" if safe else ""),
            verify=lambda row, dt=dt: not datatype_conforms(_value(row), dt))
    for kind in sg.objects(shape, SH.nodeKind):
        add("NodeKind", f"{values} FILTER(!{_node_kind(v, kind)})")
    for pattern in sg.objects(shape, SH.pattern):  # (a shape with sh:flags is not compiled)
        if not _SAFE_REGEX.match(str(pattern)):
            raise Unsupported(f"sh:pattern {pattern!r}")
        compiled = re.compile(str(pattern))
        add("Pattern", f"{values} FILTER(isBlank({v}) || !REGEX(STR({v}), {Literal(str(pattern)).n3()}))",
            verify=lambda row, rx=compiled: isinstance(_value(row), BNode) or not rx.search(str(_value(row))))
    for lst in sg.objects(shape, SH["in"]):
        add("In", f"{values} FILTER(!{_in_test(v, _iri_list(sg, lst))})")
    for m in sg.objects(shape, SH.minInclusive):
        if not (isinstance(m, Literal) and m.datatype == XSD.integer and isinstance(m.value, int)):
            raise Unsupported("sh:minInclusive that is not an integer")
        safe = f'(isLiteral({v}) && datatype({v}) = <{XSD.integer}> && REGEX(STR({v}), "^[+-]?[0-9]+$") && {v} >= {m.n3()})'
        add("MinInclusive", f"{values} FILTER(!{safe})", verify=lambda row, m=m: not min_inclusive_conforms(_value(row), m))
    for param, name, or_equal in ((SH.lessThan, "LessThan", False), (SH.lessThanOrEquals, "LessThanOrEquals", True)):
        for other in sg.objects(shape, param):
            if not isinstance(other, URIRef) or not is_property:
                raise Unsupported(f"sh:{name} with a path or on a node shape")
            add(name, f"{values} ?this <{other}> ?other . FILTER(!{_safe_less(v, '?other', or_equal)})",
                select="SELECT DISTINCT ?this ?value ?other",
                verify=lambda row, e=or_equal: not pair_conforms(_value(row), row["other"], e))
    for other in sg.objects(shape, SH.equals):
        if not isinstance(other, URIRef) or not is_property:
            raise Unsupported("sh:equals with a path or on a node shape")
        add("Equals", f"{{ {values} MINUS {{ ?this <{other}> ?value }} }} UNION "
                      f"{{ ?this <{other}> ?value . MINUS {{ ?this {path} ?value }} }}")
    for lst in sg.objects(shape, SH["or"]):
        members = [_member(sg, m, v, subclasses) for m in Collection(sg, lst)]
        loose = [m.check for m in members if not m.exact]
        any_member = " || ".join(m.expr for m in members) or "false"
        add("Or", f"{values} FILTER(!({any_member}))",
            verify=(lambda row, loose=loose: not any(c(_value(row)) for c in loose)) if loose else None)
    for member in sg.objects(shape, SH["not"]):
        m = _member(sg, member, v, subclasses)
        if not m.exact:
            raise Unsupported("sh:not of a shape SPARQL cannot decide")
        add("Not", f"{values} FILTER({m.expr})")
    for qshape in sg.objects(shape, SH.qualifiedValueShape):
        if not is_property or (shape, SH.qualifiedMaxCount, None) in sg or (shape, SH.qualifiedValueShapesDisjoint, None) in sg:
            raise Unsupported("qualified value shape other than qualifiedMinCount")
        m = _member(sg, qshape, "?value", subclasses)
        n = int(_one(sg, shape, SH.qualifiedMinCount))
        if not m.exact:
            raise Unsupported("qualified value shape SPARQL cannot decide")
        add("QualifiedMinCount", f"OPTIONAL {{ {values} FILTER({m.expr}) }}", value=False, select="SELECT ?this",
            having=f"COUNT(DISTINCT ?value) < {n}", probe=False)
    if (shape, SH.qualifiedMinCount, None) in sg and (shape, SH.qualifiedValueShape, None) not in sg:
        raise Unsupported("sh:qualifiedMinCount without a shape")
    return checks


def _value(row: dict) -> Node:
    return row["value"] if "value" in row else row["this"]
