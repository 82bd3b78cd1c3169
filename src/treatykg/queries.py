"""The named query library: one ``.rq`` file per competency question.

Each file starts with a header of ``#`` lines::

    # id: binding-oversight
    # question: Which oversight procedures bind the State on the date ...?
    # param: state | state | RUS | the State (ISO alpha-3 code or IRI)
    # param: body | body? | cpt | optional: only this body
    # returns: procedure, body, ...
    # ordering: by treaty id then procedure

A ``param`` line is ``name | type | example | description``; a type ending in ``?`` is
optional. Types: ``state``, ``treaty``, ``body``, ``procedure``, ``date``, ``string``,
``integer``. Values are resolved (``RUS`` -> the State's IRI), turned into RDF terms and
bound as a ``VALUES`` block at the start of the query's group pattern (see
:func:`treatykg.kg.bind_values`; ``initBindings`` in the rdflib engine); user text is never
pasted into the query. Every query also lists its parameters among its result columns, so
that answers say what they are answers to.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import itertools
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from treatykg import iri, resources
from treatykg.dates import parse_date
from treatykg.errors import InputError, NotFoundError
from treatykg.kg import KnowledgeGraph, Result

TYPES = ("state", "treaty", "body", "procedure", "date", "string", "integer")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    example: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    id: str
    question: str
    params: tuple[Param, ...]
    returns: str
    ordering: str
    text: str
    path: Path

    @property
    def ordered(self) -> bool:
        return bool(self.ordering) and not self.ordering.lower().startswith(("none", "no ", "unordered"))

    def parameter_sets(self, samples: dict[str, list], cap: int, *, try_absent: bool = False) -> list[dict]:
        """Parameter sets to try the query with: every combination of ``samples`` (values by
        parameter type; a type without samples takes the header's example), an optional
        parameter with one value (and, with ``try_absent``, also left out); at most ``cap``
        sets, a sample seeded by the query id (the same sets on every run)."""
        axes = []
        for p in self.params:
            if p.type in samples:
                vals = list(samples[p.type])
            elif p.type == "integer":
                vals = [int(p.example)] if str(p.example).lstrip("-").isdigit() else [1]
            else:
                vals = [p.example]
            if p.optional:
                vals = ([None] if try_absent else []) + vals[:1]
            axes.append([(p.name, v) for v in vals])
        sets = [{k: v for k, v in c if v is not None} for c in itertools.product(*axes)]
        return sets if len(sets) <= cap else random.Random(self.id).sample(sets, cap)


def parse_header(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Param] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*(\w+):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 4:
                raise InputError(f"{path}:{n}: a param line needs 'name | type | example | description'")
            name, typ, example, desc = parts
            optional = typ.endswith("?")
            typ = typ.rstrip("?")
            if typ not in TYPES:
                raise InputError(f"{path}:{n}: unknown parameter type {typ!r} (known: {', '.join(TYPES)})")
            params.append(Param(name, typ, optional, example, desc))
        else:
            fields[key] = value
    for required in ("id", "question", "returns"):
        if required not in fields:
            raise InputError(f"{path}: the header has no '# {required}:' line")
    if fields["id"] != path.stem:
        raise InputError(f"{path}: header id {fields['id']!r} differs from the file name")
    return NamedQuery(fields["id"], fields["question"], tuple(params), fields["returns"],
                      fields.get("ordering", ""), text, path)


@lru_cache(maxsize=4)
def _library(folder: str) -> dict[str, NamedQuery]:
    return {q.id: q for q in (parse_header(p) for p in sorted(Path(folder).glob("*.rq")))}


def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    return _library(str(folder or resources.queries_dir()))


def get(name: str) -> NamedQuery:
    lib = library()
    if name not in lib:
        hint = difflib.get_close_matches(name, list(lib), n=1)
        more = f"; did you mean {hint[0]!r}?" if hint else "; see 'treatykg query --list'"
        raise NotFoundError(f"unknown query {name!r}{more}")
    return lib[name]


# ---------------------------------------------------------------------------------------
# resolving parameter values


def _suggest(value: str, choices: list[str]) -> str:
    hint = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"; did you mean {hint[0]!r}?" if hint else ""


def _norm_treaty_id(s: str) -> str:
    s = s.strip().upper().replace(" ", "-").replace("_", "-")
    s = re.sub(r"^C?ETS-?0*(\d+)$", r"ETS-\1", s)
    s = re.sub(r"^(?:UNTC-)?([IVXLC]+)[-.](\d+)(?:[-.]([A-Z]+))?$", lambda m: f"{m.group(1)}-{m.group(2)}" + (f"-{m.group(3).lower()}" if m.group(3) else ""), s)
    return s


def resolve_state(kg: KnowledgeGraph, value: str, *, param: str = "state") -> str:
    v = value.strip()
    if v.startswith(("http://", "https://")):
        candidate = v
    else:
        if not re.fullmatch(r"[A-Za-z]{3}", v):
            from treatykg import names

            p = names.resolve(v)
            if p is None or p.kind != "state":
                raise NotFoundError(f"{param}: {value!r} is not an ISO alpha-3 code or a known State name")
            v = p.code
        candidate = str(iri.state(v))
    if not kg.ask("ASK { ?x <https://w3id.org/treatykg/ontology#party> ?s } ", {"s": candidate}) and not kg.ask(
        "ASK { ?a <https://w3id.org/treatykg/ontology#actor> ?s }", {"s": candidate}
    ):
        known = sorted({str(r[0].value).rsplit("/", 1)[-1] for r in kg.select(
            "SELECT DISTINCT ?s WHERE { ?a <https://w3id.org/treatykg/ontology#actor> ?s }").rows})
        raise NotFoundError(f"{param}: the graph knows no acts of {value!r}{_suggest(v.upper(), known)}")
    return candidate


def resolve_treaty(kg: KnowledgeGraph, value: str, *, param: str = "treaty") -> str:
    v = value.strip()
    if v.startswith(("http://", "https://")):
        if kg.ask("ASK { ?t <https://w3id.org/treatykg/ontology#shortId> ?id }", {"t": v}) or kg.ask(
                "ASK { ?a <https://w3id.org/treatykg/ontology#treaty> ?t }", {"t": v}):
            return v
        raise NotFoundError(f"{param}: the graph knows no treaty {v}")
    rows = kg.select("SELECT ?t ?id WHERE { ?t <https://w3id.org/treatykg/ontology#shortId> ?id }").dicts()
    by_id: dict[str, str] = {}
    for r in rows:
        by_id.setdefault(_norm_treaty_id(str(r["id"])), r["t"])
    key = _norm_treaty_id(v)
    if key in by_id:
        return by_id[key]
    raise NotFoundError(f"{param}: unknown treaty {value!r}{_suggest(key, sorted(by_id))}")


def resolve_iri_kind(kg: KnowledgeGraph, value: str, kind: str, *, param: str) -> str:
    v = value.strip()
    candidate = v if v.startswith(("http://", "https://")) else f"{iri.ID}{kind}/{v}"
    if not kg.ask("ASK { ?s ?p ?o }", {"s": candidate}):
        known = [r[0].value.rsplit(f"/{kind}/", 1)[-1] for r in kg.select(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?prefix)) }",
            {"prefix": f"{iri.ID}{kind}/"}).rows]
        raise NotFoundError(f"{param}: the graph knows no {kind} {value!r}{_suggest(v, known)}")
    return candidate


def resolve_params(kg: KnowledgeGraph, q: NamedQuery, values: dict[str, str]) -> dict[str, object]:
    """Check and resolve ``values`` for query ``q``; errors name the parameter."""
    known = {p.name for p in q.params}
    for k in values:
        if k not in known:
            raise InputError(f"{q.id}: unknown parameter {k!r} (parameters: {', '.join(sorted(known)) or 'none'})")
    out: dict[str, object] = {}
    for p in q.params:
        raw = values.get(p.name)
        if raw is None or raw == "":
            if p.optional:
                continue
            raise InputError(f"{q.id}: missing parameter {p.name} ({p.type}, e.g. {p.name}={p.example})")
        if p.type == "state":
            out[p.name] = resolve_state(kg, raw, param=p.name)
        elif p.type == "treaty":
            out[p.name] = resolve_treaty(kg, raw, param=p.name)
        elif p.type in ("body", "procedure"):
            out[p.name] = resolve_iri_kind(kg, raw, p.type, param=p.name)
        elif p.type == "date":
            out[p.name] = raw if isinstance(raw, _dt.date) else parse_date(str(raw), what=p.name)
        elif p.type == "integer":
            try:
                out[p.name] = int(raw)
            except ValueError:
                raise InputError(f"{p.name}: {raw!r} is not a whole number") from None
        else:
            out[p.name] = str(raw)
    return out


def run(kg: KnowledgeGraph, name: str, values: dict[str, str] | None = None) -> Result:
    q = get(name)
    bound = resolve_params(kg, q, dict(values or {}))
    return kg.select(q.text, bound)
