"""SHACL SPARQL-based constraints (``sh:sparql``), evaluated one query per constraint.

This module holds the evaluation of the shapes' own SPARQL queries: each ``sh:select`` runs
once over the whole store as a sub-select joined with the shape's targets, and its solutions
become :class:`treatykg.validate.Finding` results. Its sibling :mod:`treatykg.shacl_sparql`
goes the other way: it *compiles* SHACL core constraints (sh:minCount, sh:datatype, ...) into
SPARQL for the default ``sparql`` engine, and does not handle ``sh:sparql``. Both are run by
:func:`treatykg.validate.validate` (which reads the shapes, prepares the store and merges the
results); this module is used with either engine, and borrows from :mod:`treatykg.shacl_sparql`
only the shape's target pattern and the term conversion.

pySHACL runs a SPARQL constraint once per focus node, pre-binding $this. Over the shipped
graph that is tens of thousands of queries, and Oxigraph does not push a pre-bound $this into
EXISTS or into joins, so each query costs about as much as the whole one. Instead, each
constraint runs once with $this free, as a sub-select joined with the shape's targets (so
Oxigraph evaluates the constraint once, then keeps the solutions whose $this is a focus
node): for the constraints in shapes/ (which use $this only in the top-level group
pattern) the solutions are exactly those of the per-focus queries, and the fixtures in
tests/fixtures/shapes check every one of them against pySHACL.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from treatykg.errors import InputError
from treatykg.shacl_sparql import Subclasses, target_pattern
from treatykg.shacl_sparql import to_rdflib as _to_rdflib
from treatykg.validate import SEVERITIES, Finding, _shorten_text, path_text, short

__all__ = ["shape_findings"]

_SELECT = re.compile(r"^(.*?)(\bSELECT\b.*\bWHERE\s*\{.*)$", re.S | re.I)


def _prefixes(sg: Graph, constraint: Node) -> str:
    lines = []
    for onto in sg.objects(constraint, SH.prefixes):
        for d in sg.objects(onto, SH.declare):
            lines.append(f"PREFIX {sg.value(d, SH.prefix)}: <{sg.value(d, SH.namespace)}>")
    return "\n".join(sorted(set(lines)))


_TEMPLATE_VAR = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _term_text(term) -> str:
    """An Oxigraph term as a message shows it: a literal's lexical form, else its short form."""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return short(term.value)


def _message_text(template: str, row: dict) -> str:
    """``template`` with ``{?var}`` / ``{$var}`` replaced from ``row`` (Oxigraph terms)."""
    def sub(m: re.Match) -> str:
        v = row.get(m.group(1))
        return m.group(0) if v is None else _term_text(v)

    return _shorten_text(_TEMPLATE_VAR.sub(sub, template))


def shape_findings(store: ox.Store, sg: Graph, shape: URIRef, subclasses: Subclasses | None = None) -> list[Finding]:
    """The results of ``shape``'s SPARQL-based constraints (every ``sh:sparql`` of it not
    deactivated) over the default graph of ``store``, one query per constraint."""
    out: list[Finding] = []
    severity = SEVERITIES.get(sg.value(shape, SH.severity) or SH.Violation, "Violation")
    name = str(sg.value(shape, SH.name) or "")
    target = target_pattern(sg, shape, subclasses)
    if not target:
        return out
    for c in sorted(sg.objects(shape, SH.sparql)):
        if (c, SH.deactivated, Literal(True)) in sg:
            continue
        select = str(sg.value(c, SH.select))
        m = _SELECT.match(select)
        if m is None:
            raise InputError(f"{short(shape)}: SPARQL constraint is not a SELECT ... WHERE {{ }} query")
        query = f"{_prefixes(sg, c)}\n{m.group(1)}SELECT * WHERE {{ {{ {m.group(2)} }}\n{target} }}"
        try:
            solutions = store.query(query)
        except SyntaxError as exc:
            raise InputError(f"{short(shape)}: SPARQL constraint does not parse: {exc}") from None
        templates = sorted(str(x) for x in sg.objects(c, SH.message)) or sorted(str(x) for x in sg.objects(shape, SH.message))
        seen = set()
        variables = [v.value for v in solutions.variables]
        for sol in solutions:
            row = {v: sol[v] for v in variables if sol[v] is not None}
            key = tuple(sorted((k, str(v)) for k, v in row.items()))  # str: the N-Triples form
            if key in seen or "this" not in row:
                continue
            seen.add(key)
            focus = _to_rdflib(row["this"])
            value = _to_rdflib(row["value"]) if "value" in row else focus
            path = path_text(sg, URIRef(row["path"].value)) if isinstance(row.get("path"), ox.NamedNode) else None
            out.append(
                Finding(
                    severity=severity,
                    focus=focus,
                    path=path,
                    value=value,
                    shape=shape,
                    component=SH.SPARQLConstraintComponent,
                    message="; ".join(_message_text(t, row) for t in templates) or "(no message)",
                    shape_name=name,
                )
            )
    return out
