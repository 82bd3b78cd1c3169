"""What the tabular importers (``untc_csv``, ``ieadb``, ``apt``) share.

* :class:`Doc`: quads grouped by named graph, written as sorted TriG by a small, fast writer.
  The output is byte-identical on a re-run (subjects, predicates and objects sorted, no
  timestamps), and instance IRIs are written relative to ``@base <https://w3id.org/treatykg/id/>``,
  which keeps the large IEADB graph small. rdflib's serialiser would take minutes on the
  IEADB graph; this one takes seconds. Graph objects accept ``add((s, p, o))`` like an rdflib
  graph, so :func:`treatykg.importers.base.add_source_record` writes into them unchanged.
* :class:`PartialDate`: a date known to the day, the month or the year, or not at all, and
  :func:`add_date`, which writes it in the Earliest/Latest/Precision pattern of the ontology.
* :func:`participant_node`: the State or organisation node for a resolved participant name.
* :class:`Skips`: skip records with a reason drawn from a fixed list, counted per reason.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from treatykg import iri, names
from treatykg.importers.base import TKG, ImportReport, write_bytes_atomic

# ----------------------------------------------------------------------------------------
# terms

VOCAB = iri.VOCAB
PRECISION = {p: iri.vocab("date-precision", p) for p in ("day", "month", "year", "unknown")}
CONFIDENCE_MEDIUM = iri.vocab("confidence", "medium")
BASIS_SECONDARY = iri.vocab("date-basis", "secondary-source")

_PREFIXES = [
    ("tkg", str(TKG)),
    ("rdf", str(RDF)),
    ("rdfs", str(RDFS)),
    ("xsd", str(XSD)),
    ("skos", str(SKOS)),
    ("dct", str(DCTERMS)),
    ("prov", str(PROV)),
    ("precision", VOCAB + "date-precision/"),
    ("confidence", VOCAB + "confidence/"),
    ("datebasis", VOCAB + "date-basis/"),
    ("doctype", VOCAB + "document-type/"),
]
_PNAME_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SHORT_DATATYPES = {str(XSD.date): "xsd:date", str(XSD.integer): "xsd:integer", str(XSD.boolean): "xsd:boolean"}
_RDF_TYPE = RDF.type
_TKG_NS = str(TKG)


@lru_cache(maxsize=1 << 17)
def _iri_text(u: str) -> str:
    if _BAD_IRI_CHARS.search(u):
        raise ValueError(f"cannot write IRI {u!r}: it contains a character IRIs may not hold")
    for prefix, ns in _PREFIXES:
        if u.startswith(ns) and _PNAME_LOCAL.match(u[len(ns):]):
            return f"{prefix}:{u[len(ns):]}"
    if u.startswith(iri.ID):
        rel = u[len(iri.ID):]
        if rel and ":" not in rel.split("/", 1)[0] and not any(seg in (".", "..") for seg in rel.split("/")):
            return f"<{rel}>"
    return f"<{u}>"


def _quote(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if re.search(r"[\x00-\x1f\x7f]", out):
        out = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04X}", out)
    return f'"{out}"'


@lru_cache(maxsize=1 << 17)
def _term_text(t) -> str:
    if isinstance(t, URIRef):
        return _iri_text(str(t))
    if isinstance(t, Literal):
        lex = _quote(str(t))
        if t.language:
            return f"{lex}@{t.language}"
        if t.datatype is not None and str(t.datatype) != str(XSD.string):
            dt = str(t.datatype)
            return f"{lex}^^{_SHORT_DATATYPES.get(dt) or _iri_text(dt)}"
        return lex
    raise TypeError(f"cannot write {t!r}: only IRIs and literals are written (no blank nodes)")


@lru_cache(maxsize=256)
def _pred_key(p: URIRef):
    """rdf:type first, then the tkg: properties, then the others."""
    u = str(p)
    return (u != str(_RDF_TYPE), not u.startswith(_TKG_NS), u)


def _obj_key(t):
    if isinstance(t, URIRef):
        return (0, str(t), "", "")
    return (1, str(t), str(t.datatype or ""), t.language or "")


class GraphBuffer:
    """The triples of one named graph (a set: adding a triple twice keeps one)."""

    def __init__(self, identifier: URIRef):
        self.identifier = identifier
        self._triples: set[tuple] = set()

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        if not isinstance(s, URIRef) or not isinstance(p, URIRef) or not isinstance(o, (URIRef, Literal)):
            raise TypeError(f"not a triple of IRIs and literals: {triple!r}")
        self._triples.add(triple)

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self):
        return iter(self._triples)

    def subjects_of_type(self, cls: URIRef) -> set[URIRef]:
        return {s for s, p, o in self._triples if p == RDF.type and o == cls}


class Doc:
    """Named graphs to be written to one TriG file."""

    def __init__(self):
        self.graphs: dict[URIRef, GraphBuffer] = {}

    def graph(self, identifier: URIRef) -> GraphBuffer:
        g = self.graphs.get(identifier)
        if g is None:
            g = self.graphs[identifier] = GraphBuffer(identifier)
        return g

    def __len__(self) -> int:
        return sum(len(g) for g in self.graphs.values())

    def to_trig(self) -> bytes:
        lines = [f"@base <{iri.ID}> ."]
        lines += [f"@prefix {p}: <{ns}> ." for p, ns in _PREFIXES]
        for gname in sorted(self.graphs, key=str):
            by_subject: dict[URIRef, dict[URIRef, list]] = defaultdict(lambda: defaultdict(list))
            for s, p, o in self.graphs[gname]:
                by_subject[s][p].append(o)
            lines.append("")
            lines.append(f"{_iri_text(str(gname))} {{")
            for s in sorted(by_subject, key=str):
                preds = by_subject[s]
                order = sorted(preds, key=_pred_key)
                parts = []
                for p in order:
                    objs = preds[p]
                    text = _term_text(objs[0]) if len(objs) == 1 else ", ".join(_term_text(o) for o in sorted(objs, key=_obj_key))
                    parts.append(f"{'a' if p is _RDF_TYPE or p == _RDF_TYPE else _iri_text(str(p))} {text}")
                lines.append(f"    {_iri_text(str(s))} " + " ;\n        ".join(parts) + " .")
            lines.append("}")
        return ("\n".join(lines) + "\n").encode("utf-8")

    def write(self, path: Path) -> Path:
        """Write atomically (a temporary file renamed into place)."""
        return write_bytes_atomic(Path(path), self.to_trig())

    @classmethod
    def from_dataset(cls, ds) -> "Doc":
        """The named graphs of an rdflib ``Dataset`` (its default graph must be empty: every
        triple of an importer's output belongs to its source's named graph)."""
        doc = cls()
        for g in ds.graphs():
            if not len(g):
                continue
            if not isinstance(g.identifier, URIRef) or str(g.identifier) == "urn:x-rdflib:default":
                raise ValueError(f"{len(g)} triple(s) outside a named graph, e.g. {next(iter(g))!r}")
            buf = doc.graph(g.identifier)
            for t in g:
                buf.add(t)
        return doc


# ----------------------------------------------------------------------------------------
# dates


@dataclass(frozen=True)
class PartialDate:
    """A date known to the ``day``, ``month`` or ``year`` (``unknown``: nothing known)."""

    precision: str
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if self.precision == "unknown":
            return
        if self.year is None:
            raise ValueError("a known date needs a year")
        if self.precision in ("month", "day") and not (self.month and 1 <= self.month <= 12):
            raise ValueError(f"month {self.month!r} out of range")
        if self.precision == "day":
            _dt.date(self.year, self.month, self.day)  # raises ValueError for 31 Feb

    @classmethod
    def unknown(cls) -> "PartialDate":
        return cls("unknown")

    @classmethod
    def of_day(cls, d: _dt.date) -> "PartialDate":
        return cls("day", d.year, d.month, d.day)

    @property
    def known(self) -> bool:
        return self.precision != "unknown"

    @property
    def key(self) -> str | None:
        """The IRI date segment: ``1998-05-05``, ``1998-11``, ``1998``; None when unknown."""
        if self.precision == "day":
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if self.precision == "year":
            return f"{self.year:04d}"
        return None

    @property
    def earliest(self) -> _dt.date | None:
        if not self.known:
            return None
        return _dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> _dt.date | None:
        if not self.known:
            return None
        if self.precision == "day":
            return _dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return _dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        return self.key or "unknown"


@lru_cache(maxsize=1 << 16)
def date_literal(d: _dt.date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


_DATE_PROPS = {
    # property -> (exact, earliest, latest, precision)
    "date": (TKG.date, TKG.dateEarliest, TKG.dateLatest, TKG.datePrecision),
    "effectiveDate": (TKG.effectiveDate, TKG.effectiveDateEarliest, TKG.effectiveDateLatest, None),
    "publishedOn": (TKG.publishedOn, TKG.publishedOnEarliest, TKG.publishedOnLatest, TKG.publishedOnPrecision),
}


def add_date(g: GraphBuffer, node: URIRef, when: PartialDate, prop: str = "date") -> None:
    """Write ``when`` as ``prop`` of ``node``: the day when known, else the bounds and
    (for tkg:date and tkg:publishedOn) the precision. An unknown date writes only its
    precision. Absent precision means day, so a day-precise date writes none."""
    exact, lo, hi, precision = _DATE_PROPS[prop]
    if when.precision == "day":
        g.add((node, exact, date_literal(when.earliest)))
        return
    if when.known:
        g.add((node, lo, date_literal(when.earliest)))
        g.add((node, hi, date_literal(when.latest)))
    if precision is not None:
        g.add((node, precision, PRECISION[when.precision]))


# ----------------------------------------------------------------------------------------
# participants


@lru_cache(maxsize=4096)
def participant_iri(p: names.Participant) -> URIRef:
    return iri.state(p.code) if p.kind == "state" else iri.organization(p.code)


def participant_node(g: GraphBuffer, p: names.Participant, spelling: str | None = None) -> URIRef:
    """The State (or organisation) node: type, English label, ISO code and, where the source
    spells the name differently, that spelling as skos:altLabel."""
    node = participant_iri(p)
    if p.kind == "state":
        g.add((node, RDF.type, TKG.State))
        g.add((node, TKG.isoAlpha3, Literal(p.code)))
    else:
        g.add((node, RDF.type, TKG.InternationalOrganization))
    g.add((node, RDFS.label, Literal(p.name, lang="en")))
    if spelling and spelling.strip() and spelling.strip() != p.name:
        g.add((node, SKOS.altLabel, Literal(spelling.strip())))
    return node


# ----------------------------------------------------------------------------------------
# skips


class Skips:
    """Skip records for one import: ``add`` checks the reason against the importer's list
    (so every reason is documented) and counts it under ``skipped: <reason key>``."""

    def __init__(self, report: ImportReport, reasons: dict[str, str]):
        self.report = report
        self.reasons = reasons

    def add(self, file: str | Path, element: str, reason_key: str, detail: str | None = None) -> None:
        reason = self.reasons[reason_key]
        self.report.skip(file, element, f"{reason} ({detail})" if detail else reason)
        self.report.count(f"skipped: {reason_key}")


@lru_cache(maxsize=8192)
def _treaty_iri(key: str) -> URIRef:
    return iri.treaty(key)


@lru_cache(maxsize=64)
def act_type_slug(cls: URIRef) -> str:
    """``tkg:WithdrawalFromTreaty`` -> ``withdrawal-from-treaty`` (the act-type IRI segment)."""
    local = str(cls).rsplit("#", 1)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "-", local).lower()


def add_act(
    g: GraphBuffer,
    *,
    treaty_key: str,
    actor: URIRef,
    actor_code: str,
    cls: URIRef,
    when: PartialDate,
    record: URIRef,
    locator: str,
    qualifier: str | None = None,
) -> URIRef:
    """One treaty act with its class, actor, treaty, date, source and locator."""
    node = iri.act(treaty_key, actor_code, act_type_slug(cls), when.key, qualifier)
    g.add((node, RDF.type, cls))
    g.add((node, TKG.actor, actor))
    g.add((node, TKG.treaty, _treaty_iri(treaty_key)))
    add_date(g, node, when)
    g.add((node, PROV.wasDerivedFrom, record))
    g.add((node, TKG.sourceLocator, Literal(locator)))
    return node


# ----------------------------------------------------------------------------------------
# reading CSV files


@dataclass
class CsvText:
    """A CSV file read strictly. ``rows`` exclude the header. ``last_row_cut`` is set when a
    non-empty file does not end with a newline (every source file does), so its last row may
    have been cut; ``error`` is set when the file ends inside a quoted field or is otherwise
    malformed, and then ``rows`` hold only the rows before the damage."""

    header: list[str]
    rows: list[list[str]]
    last_row_cut: bool = False
    error: str | None = None


def read_csv(path: Path) -> CsvText:
    """Raises UnicodeDecodeError when the file is not UTF-8."""
    import csv
    import io

    text = Path(path).read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    error = None
    good_until = 0  # the last line of the last row read whole
    try:
        for row in reader:
            rows.append(row)
            good_until = reader.line_num
    except csv.Error as exc:
        error = f"from line {good_until + 1}: {exc}"
    header = rows[0] if rows else []
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    cut = bool(text) and not text.endswith(("\n", "\r")) and error is None and bool(body)
    return CsvText(header, body, cut, error)
