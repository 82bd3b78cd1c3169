"""The hand-curated graph (graph/curated/*.ttl): acts, events, visits and documents about the
Russian Federation, with their source records.

Checks, for every node of the files rather than for named examples:
- the files parse, with rdflib and with the loader the product uses (pyoxigraph);
- every act, event, visit and document is derived from a source record that has a URL and a
  "status as of" date, and says where in it (tkg:sourceLocator); the rows it cites exist in the
  curated fact table and carry the URL of one of its sources (or the table itself, for rows whose
  source is "not found");
- every row the fact table marks UNCONFIRMED that the graph uses stays marked unconfirmed;
- dates follow the Earliest/Latest/Precision pattern (never a day and bounds together, bounds in
  order, month/year bounds on the month's or year's first and last day);
- domestic acts never carry an effective date and always point to the international act;
- every term exists in the ontology, with its domain and range, and vocabulary values come from
  the right scheme;
- IRIs are those src/treatykg/iri.py mints, and acts on UN chapter IV treaties are the very nodes
  the UNTC importer mints from the shared snapshot (so the two merge).
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from treatykg import iri, resources

TKG = Namespace("https://w3id.org/treatykg/ontology#")
CURATED = resources.graph_dir() / "curated"
FILES = sorted(CURATED.glob("*.ttl"))
SHARED = Path(os.environ.get("TREATYKG_SHARED_DATA", "/work/shared/data"))
FACTS_MD = SHARED / "curated-facts" / "facts.md"
UNTC_HR = SHARED / "untc-hr-2026"
CURATED_TABLE = iri.source("treatykg/curated-facts/2026")
UNCONFIRMED = iri.vocab("confidence", "unconfirmed")

EXTERNAL_PREDICATES = {RDF.type, RDFS.label, RDFS.comment, PROV.wasDerivedFrom, DCTERMS.title, DCTERMS.publisher}
SCHEME_OF = {
    TKG.confidence: "confidence",
    TKG.dateConfidence: "confidence",
    TKG.datePrecision: "date-precision",
    TKG.publishedOnPrecision: "date-precision",
    TKG.endDatePrecision: "date-precision",
    TKG.effectiveDateBasis: "date-basis",
    TKG.visitType: "visit-type",
    TKG.documentType: "document-type",
}
# (day property, lower bound, upper bound, precision property)
DATE_GROUPS = [
    (TKG.date, TKG.dateEarliest, TKG.dateLatest, TKG.datePrecision),
    (TKG.effectiveDate, TKG.effectiveDateEarliest, TKG.effectiveDateLatest, None),
    (TKG.endDate, TKG.endDateEarliest, TKG.endDateLatest, TKG.endDatePrecision),
    (TKG.publishedOn, TKG.publishedOnEarliest, TKG.publishedOnLatest, TKG.publishedOnPrecision),
]
EFFECTIVE = {TKG.effectiveDate, TKG.effectiveDateEarliest, TKG.effectiveDateLatest, TKG.effectiveDateBasis, TKG.effectiveDateRule}


# ------------------------------------------------------------------------------------------
# fixtures and helpers


@pytest.fixture(scope="module")
def g() -> Graph:
    assert FILES, f"no Turtle files in {CURATED}"
    graph = Graph()
    for f in FILES:
        graph.parse(f, format="turtle")
    return graph


@pytest.fixture(scope="module")
def onto() -> Graph:
    graph = Graph()
    for f in resources.ontology_files():
        graph.parse(f, format="turtle")
    return graph


@pytest.fixture(scope="module")
def sub(onto) -> dict[URIRef, set[URIRef]]:
    """class -> every class below it (itself included), from rdfs:subClassOf in the ontology."""
    parents = defaultdict(set)
    for c, p in onto.subject_objects(RDFS.subClassOf):
        parents[c].add(p)
    below: dict[URIRef, set[URIRef]] = defaultdict(set)
    for c in set(parents) | {o for ps in parents.values() for o in ps}:
        stack, seen = [c], set()
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            stack.extend(parents.get(x, ()))
        for anc in seen:
            below[anc].add(c)
    return below


def is_a(g: Graph, node, cls, sub) -> bool:
    return any(t in sub.get(cls, {cls}) for t in g.objects(node, RDF.type))


def fact_nodes(g: Graph, sub) -> list[URIRef]:
    """Acts, events, visits and documents: everything the curated graph asserts as a fact."""
    return sorted({s for s in g.subjects(RDF.type, None) if is_a(g, s, TKG.Event, sub) or is_a(g, s, TKG.MonitoringDocument, sub)})


def one(g: Graph, s, p):
    vals = list(g.objects(s, p))
    assert len(vals) <= 1, f"{s} has {len(vals)} values of {p}"
    return vals[0] if vals else None


def day(lit) -> dt.date | None:
    if lit is None:
        return None
    assert isinstance(lit, Literal) and lit.datatype == XSD.date, f"{lit!r} is not an xsd:date"
    return dt.date.fromisoformat(str(lit))


def locators(g: Graph, node) -> set[str]:
    out = set()
    for loc in g.objects(node, TKG.sourceLocator):
        m = re.fullmatch(r"facts\.md ([A-Z]\d{2})", str(loc))
        if m:
            out.add(m.group(1))
    return out


def marked_unconfirmed(g: Graph, node) -> bool:
    return (node, TKG.confidence, UNCONFIRMED) in g or (node, TKG.dateConfidence, UNCONFIRMED) in g


def kebab(local: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", local).lower()


def tkg_class(g: Graph, node) -> str:
    classes = [str(t)[len(str(TKG)):] for t in g.objects(node, RDF.type) if str(t).startswith(str(TKG))]
    assert len(classes) == 1, f"{node} has {len(classes)} tkg classes: {classes}"
    return classes[0]


def date_key(g: Graph, node, p=TKG.date, lo=TKG.dateEarliest, hi=TKG.dateLatest) -> str | None:
    """The date segment of an IRI: the day, else the month or year both bounds share, else None."""
    d = day(one(g, node, p))
    if d:
        return d.isoformat()
    e, l = day(one(g, node, lo)), day(one(g, node, hi))
    if e and l:
        if (e.year, e.month) == (l.year, l.month):
            return f"{e.year:04d}-{e.month:02d}"
        if e.year == l.year:
            return f"{e.year:04d}"
    return None


@dataclass
class Row:
    id: str
    source: str
    confidence: str
    line: str

    @property
    def urls(self) -> list[str]:
        return re.findall(r"https?://\S+", self.source)

    def parts(self) -> list[tuple[str, str]]:
        """(level, qualifier) for each part of the confidence cell, e.g. ('UNCONFIRMED', '(day)')."""
        out = []
        for p in re.split(r"\s*/\s*(?=HIGH|MEDIUM|UNCONFIRMED)", self.confidence.strip()):
            m = re.match(r"(HIGH|MEDIUM|UNCONFIRMED)\b\s*(.*)", p)
            assert m, f"facts.md {self.id}: cannot read the confidence {self.confidence!r}"
            out.append((m.group(1), m.group(2).strip()))
        return out


@pytest.fixture(scope="module")
def facts() -> dict[str, Row]:
    if not FACTS_MD.is_file():
        pytest.skip(f"curated fact table not found at {FACTS_MD} (set TREATYKG_SHARED_DATA)")
    rows: dict[str, Row] = {}
    for n, line in enumerate(FACTS_MD.read_text(encoding="utf-8").splitlines(), 1):
        if not re.match(r"\|\s*[A-Z]\d{2}\s*\|", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 7, f"{FACTS_MD}:{n}: expected 7 cells, found {len(cells)}"
        rid = cells[0]
        assert rid not in rows, f"{FACTS_MD}:{n}: row {rid} appears twice"
        rows[rid] = Row(rid, cells[4], cells[6], line)
    assert rows, f"{FACTS_MD}: no fact rows found"
    return rows


# ------------------------------------------------------------------------------------------
# parsing


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_file_parses_with_rdflib_and_the_product_loader(path):
    import pyoxigraph as ox

    from treatykg.kg import load_file

    alone = Graph().parse(path, format="turtle")
    assert len(alone) > 0
    store = ox.Store()
    load_file(store, path, CURATED)
    assert len(store) == len(alone), f"{path.name}: pyoxigraph read {len(store)} triples, rdflib {len(alone)}"
    for s in alone.subjects():
        assert str(s).startswith(iri.ID), f"{path.name}: subject {s} is outside {iri.ID} (a relative IRI without @base?)"


# ------------------------------------------------------------------------------------------
# provenance


def test_every_fact_is_derived_from_a_source_record_with_url_and_status_date(g, sub):
    nodes = fact_nodes(g, sub)
    assert nodes, "no acts, events, visits or documents in the curated graph"
    state_claims = sorted(set(g.subjects(TKG.continuesStateOf, None)))
    problems = []
    for n in nodes + state_claims:
        sources = list(g.objects(n, PROV.wasDerivedFrom))
        if not sources:
            problems.append(f"{n}: no prov:wasDerivedFrom")
        if not [loc for loc in g.objects(n, TKG.sourceLocator) if str(loc).strip()]:
            problems.append(f"{n}: no tkg:sourceLocator")
        for src in sources:
            if (src, RDF.type, TKG.SourceRecord) not in g:
                problems.append(f"{n}: {src} is not a tkg:SourceRecord in graph/curated")
                continue
            url = list(g.objects(src, TKG.url))
            asof = list(g.objects(src, TKG.statusAsOf))
            if len(url) != 1 or not isinstance(url[0], URIRef):
                problems.append(f"{src}: needs exactly one tkg:url IRI, has {url}")
            if len(asof) != 1:
                problems.append(f"{src}: needs exactly one tkg:statusAsOf, has {asof}")
            else:
                day(asof[0])
            if not list(g.objects(src, DCTERMS.title)) or not list(g.objects(src, DCTERMS.publisher)):
                problems.append(f"{src}: needs dct:title and dct:publisher")
    assert not problems, "\n".join(problems)


def test_source_record_iris_are_minted_from_their_urls_and_all_are_used(g):
    records = sorted(set(g.subjects(RDF.type, TKG.SourceRecord)))
    assert records
    by_url = defaultdict(list)
    problems = []
    for r in records:
        url = one(g, r, TKG.url)
        by_url[str(url)].append(r)
        if str(r).startswith(iri.ID + "source/web/"):
            if r != iri.source_for_url(str(url)):
                problems.append(f"{r}: iri.source_for_url({url}) gives {iri.source_for_url(str(url))}")
        elif not str(r).startswith(iri.ID + "source/"):
            problems.append(f"{r}: not a source IRI")
        if not list(g.subjects(PROV.wasDerivedFrom, r)):
            problems.append(f"{r}: no node is derived from it")
    problems += [f"{u}: {len(rs)} source records for one URL" for u, rs in by_url.items() if len(rs) > 1]
    assert not problems, "\n".join(problems)


def test_cited_rows_exist_and_the_node_uses_one_of_the_rows_sources(g, sub, facts):
    problems = []
    cited_any = False
    for n in fact_nodes(g, sub) + sorted(set(g.subjects(TKG.continuesStateOf, None))):
        src_urls = {str(one(g, s, TKG.url)) for s in g.objects(n, PROV.wasDerivedFrom)}
        from_table = CURATED_TABLE in set(g.objects(n, PROV.wasDerivedFrom))
        ids = locators(g, n)
        cited_any |= bool(ids)
        if from_table and not ids:
            problems.append(f"{n}: derived from the curated table but cites no row of it")
        for rid in sorted(ids):
            row = facts.get(rid)
            if row is None:
                problems.append(f"{n}: cites facts.md {rid}, which is not a row of {FACTS_MD}")
                continue
            if row.urls:
                if not any(u in row.line for u in src_urls):
                    problems.append(f"{n}: cites {rid} but none of its sources {sorted(src_urls)} is in that row")
            elif not from_table:
                problems.append(f"{n}: cites {rid}, whose source was not found, but is not derived from {CURATED_TABLE}")
    assert cited_any, "no node cites a row of the fact table"
    assert not problems, "\n".join(problems)


def test_rows_marked_unconfirmed_stay_unconfirmed(g, sub, facts):
    citing = defaultdict(list)
    for n in fact_nodes(g, sub):
        for rid in locators(g, n):
            citing[rid].append(n)
    used = [rid for rid in sorted(citing) if rid in facts and any(lvl == "UNCONFIRMED" for lvl, _ in facts[rid].parts())]
    assert used, "the graph uses no row marked UNCONFIRMED (nothing to check)"
    problems = []
    for rid in used:
        parts = facts[rid].parts()
        nodes = citing[rid]
        if all(lvl == "UNCONFIRMED" for lvl, _ in parts):
            # the whole row is unconfirmed: every node resting on it says so
            problems += [f"{n}: rests on {rid} (UNCONFIRMED) but is not marked unconfirmed" for n in nodes if not marked_unconfirmed(g, n)]
            continue
        if any(marked_unconfirmed(g, n) for n in nodes):
            continue
        # a row whose only unconfirmed part is the day may be used for its confirmed month or year,
        # provided no node asserts a day from it
        quals = {q for lvl, q in parts if lvl == "UNCONFIRMED"}
        asserts_day = [n for n in nodes if one(g, n, TKG.date) is not None or one(g, n, TKG.publishedOn) is not None]
        if quals == {"(day)"} and not asserts_day:
            continue
        problems.append(f"{rid} ({facts[rid].confidence}): none of {nodes} is marked unconfirmed")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------
# dates


def test_dates_follow_the_bounds_pattern(g):
    problems = []
    for s in sorted(set(g.subjects())):
        for p, lo, hi, prec_p in DATE_GROUPS:
            exact, e, l = (day(one(g, s, x)) for x in (p, lo, hi))
            prec = one(g, s, prec_p) if prec_p else None
            prec_name = str(prec).rsplit("/", 1)[-1] if prec is not None else None
            if exact and (e or l):
                problems.append(f"{s}: has both {p} and its bounds")
            if e and l and e > l:
                problems.append(f"{s}: {lo} {e} is after {hi} {l}")
            if prec_p is None:
                continue
            if exact and prec_name not in (None, "day"):
                problems.append(f"{s}: {p} is a day but {prec_p} is {prec_name}")
            if (e or l) and prec_name in (None, "day"):
                problems.append(f"{s}: bounds of {p} without a {prec_p} other than day")
            if prec_name == "month" and not (
                e and l and e.day == 1 and (e.year, e.month) == (l.year, l.month)
                and l.day == calendar.monthrange(l.year, l.month)[1]
            ):
                problems.append(f"{s}: month precision needs the month's first and last day as bounds ({e}, {l})")
            if prec_name == "year" and not (e and l and e == dt.date(e.year, 1, 1) and l == dt.date(e.year, 12, 31)):
                problems.append(f"{s}: year precision needs 1 January and 31 December of one year as bounds ({e}, {l})")
        start, end = day(one(g, s, TKG.date)), day(one(g, s, TKG.endDate))
        if start and end and end < start:
            problems.append(f"{s}: ends ({end}) before it starts ({start})")
    assert not problems, "\n".join(problems)


def test_domestic_acts_have_no_effective_date_and_point_to_an_international_act(g, sub):
    domestic = sorted(set(g.subjects(RDF.type, TKG.DomesticAct)))
    assert domestic
    problems = []
    for d in domestic:
        if is_a(g, d, TKG.TreatyAct, sub):
            problems.append(f"{d}: typed both as a domestic act and as a treaty act")
        for p in EFFECTIVE:
            if one(g, d, p) is not None:
                problems.append(f"{d}: a domestic act carries {p}")
        steps = list(g.objects(d, TKG.domesticStepOf))
        if not steps:
            problems.append(f"{d}: no tkg:domesticStepOf")
        for t in steps:
            if not is_a(g, t, TKG.TreatyAct, sub):
                problems.append(f"{d}: domesticStepOf {t}, which is not a treaty act in graph/curated")
    assert not problems, "\n".join(problems)


def test_acts_done_as_a_former_state_name_a_state_the_actor_continues(g):
    problems = []
    for act, former in g.subject_objects(TKG.performedAs):
        actor = one(g, act, TKG.actor)
        if (actor, TKG.continuesStateOf, former) not in g:
            problems.append(f"{act}: performed as {former}, but {actor} does not continue it in graph/curated")
        if (former, RDF.type, TKG.State) not in g:
            problems.append(f"{act}: {former} is not described as a tkg:State")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------
# terms


def test_every_term_exists_in_the_ontology_with_its_domain_and_range(g, onto, sub):
    declared_props = set(onto.subjects(RDF.type, OWL.ObjectProperty)) | set(onto.subjects(RDF.type, OWL.DatatypeProperty))
    declared_classes = set(onto.subjects(RDF.type, OWL.Class))
    concepts = set(onto.subjects(RDF.type, SKOS.Concept))
    problems = []
    for s, p, o in g:
        if str(p).startswith(str(TKG)):
            if p not in declared_props:
                problems.append(f"{p} is not a property of ontology/treatykg.ttl")
                continue
        elif p not in EXTERNAL_PREDICATES:
            problems.append(f"{s}: predicate {p} is neither tkg: nor one of the allowed external terms")
        if p == RDF.type and o not in declared_classes:
            problems.append(f"{s}: class {o} is not in ontology/treatykg.ttl")
        if isinstance(o, URIRef) and str(o).startswith(iri.VOCAB):
            if o not in concepts:
                problems.append(f"{s} {p}: {o} is not a concept of ontology/vocab.ttl")
            elif p in SCHEME_OF and (o, SKOS.inScheme, URIRef(iri.VOCAB + SCHEME_OF[p])) not in onto:
                problems.append(f"{s} {p}: {o} is not in scheme {SCHEME_OF[p]}")
        if p in SCHEME_OF and not str(o).startswith(iri.VOCAB):
            problems.append(f"{s} {p}: {o} is not a vocabulary concept")
        for dom in onto.objects(p, RDFS.domain):
            if not is_a(g, s, dom, sub):
                problems.append(f"{s}: uses {p}, whose domain is {dom}, but is not one")
        for rng in onto.objects(p, RDFS.range):
            if rng.startswith(str(XSD)):
                if not isinstance(o, Literal) or (o.datatype or XSD.string) != rng:
                    problems.append(f"{s} {p}: {o!r} is not a literal of type {rng}")
            elif isinstance(o, Literal):
                problems.append(f"{s} {p}: a literal where {rng} is expected")
            elif list(g.objects(o, RDF.type)) and rng != SKOS.Concept and not is_a(g, o, rng, sub):
                problems.append(f"{s} {p}: {o} is typed here, but not as {rng}")
    assert not problems, "\n".join(sorted(set(problems)))


def test_procedures_bodies_and_organisations_pointed_to_are_described(g):
    """A misspelt procedure or body IRI would silently drop a visit or a declaration from the
    oversight picture, so each one must be a node of the reference graph (or of this graph)."""
    ref_files = sorted((resources.graph_dir() / "reference").glob("*.ttl"))
    if not ref_files:
        pytest.skip("graph/reference has no Turtle files yet")
    ref = Graph()
    for f in ref_files:
        ref.parse(f, format="turtle")
    props = (TKG.underProcedure, TKG.acceptsProcedure, TKG.excludesProcedure, TKG.conductedBy, TKG.issuedBy, TKG.organization)
    problems = []
    for p in props:
        for s, o in g.subject_objects(p):
            if (o, RDF.type, None) not in ref and (o, RDF.type, None) not in g:
                problems.append(f"{s} {p}: {o} is described neither in graph/reference nor in graph/curated")
    assert not problems, "\n".join(sorted(problems))


# ------------------------------------------------------------------------------------------
# IRIs


def local(node, kind: str) -> str:
    return iri.local_key(node, kind)


def test_iris_are_those_iri_py_mints(g, sub):
    problems = []
    checked = 0
    for n in fact_nodes(g, sub) + sorted(set(g.subjects(RDF.type, TKG.DomesticAct))):
        cls = tkg_class(g, n)
        if is_a(g, n, TKG.TreatyAct, sub):
            qualifier = None
            if list(g.objects(n, TKG.acceptsProcedure)) or list(g.objects(n, TKG.excludesProcedure)):
                provision = one(g, n, TKG.concernsProvision)
                qualifier = local(provision, "treaty").rsplit("/", 1)[-1] if provision else None
            want = iri.act(local(one(g, n, TKG.treaty), "treaty"), local(one(g, n, TKG.actor), "state"),
                           kebab(cls), date_key(g, n), qualifier)
        elif is_a(g, n, TKG.StatusEvent, sub):
            actor = local(one(g, n, TKG.actor), "state")
            keys = [local(o, "org") for o in g.objects(n, TKG.organization)] + [local(t, "treaty") for t in g.objects(n, TKG.treaty)]
            options = [iri.event(kebab(cls), actor, k, date_key(g, n)) for k in keys]
            want = n if n in options else (options[0] if options else None)
        elif cls == "MonitoringVisit":
            want = iri.visit(local(one(g, n, TKG.conductedBy), "body"), local(one(g, n, TKG.visitedState), "state"), date_key(g, n))
        elif cls == "MonitoringDocument":
            symbol = one(g, n, TKG.documentSymbol)
            body = local(n, "document").split("/", 1)[0]
            want = iri.document(body, str(symbol)) if symbol is not None else n
        elif cls == "DomesticAct":
            actor = local(one(g, n, TKG.actor), "state")
            segs = local(n, "domestic-act").split("/")
            if len(segs) != 4:
                problems.append(f"{n}: not domestic-act/<actor>/<key>/<kind>/<date>")
                continue
            treaty = one(g, n, TKG.treaty)
            key = local(treaty, "treaty") if treaty is not None else segs[1]
            want = iri.domestic_act(actor, key, segs[2], date_key(g, n))
        else:
            problems.append(f"{n}: unexpected class {cls}")
            continue
        checked += 1
        if want != n:
            problems.append(f"{n}: iri.py mints {want}")
    assert checked
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "expected",
    [
        # IRIs named by the IRI policy and the curation brief, written out by hand
        iri.act("untc-IV-9", "RUS", "declaration", "1991-10-01", "art-22"),
        iri.act("untc-IV-9", "RUS", "ratification", "1987-03-03"),
        iri.act("coe-ets-126", "RUS", "denunciation", None),
        iri.event("membership-loss", "RUS", "coe", "2022-03-16"),
        iri.domestic_act("RUS", "coe-ets-126", "law-signed", "2025-09-29"),
        iri.visit("cpt", "RUS", "2016-11-30"),
        iri.document("cpt", "CPT/Inf (2013) 1"),
    ],
)
def test_iris_named_by_the_policy_are_present(g, expected):
    assert (expected, RDF.type, None) in g, f"{expected} is not in graph/curated"


def _untc_graph(needed: set[str], tmp_path_factory) -> Graph:
    """The UNTC importer's nodes for the MTDSG numbers ``needed``: the committed graph/untc output
    if it covers them, else the importer run on the shared snapshot."""
    out = Graph()
    committed = resources.graph_dir() / "untc"
    if committed.is_dir():
        _add_trig(out, sorted(committed.rglob("*.trig")))
    have = {str(t).rsplit("untc-", 1)[-1] for t in out.subjects(RDF.type, None) if str(t).startswith(iri.ID + "treaty/untc-")}
    if needed <= have:
        return out
    try:
        from treatykg.importers import untc_html
    except ImportError as exc:
        pytest.skip(f"UNTC importer not available ({exc}); cannot check that curated UN acts merge with it")
    csv = UNTC_HR / "un_hr_ratifications.csv"
    if not csv.is_file():
        pytest.skip(f"UNTC snapshot not found at {UNTC_HR} (set TREATYKG_SHARED_DATA)")
    import csv as _csv

    with csv.open(encoding="utf-8") as fh:
        page_of = {r["mtdsg_no"]: UNTC_HR / "html" / f"{r['treaty_id']}.html" for r in _csv.DictReader(fh)}
    pages = [page_of[m] for m in sorted(needed)]
    dest = tmp_path_factory.mktemp("untc")
    report = untc_html.run(pages, dest)
    assert report.written, report.text()
    _add_trig(out, sorted(dest.rglob("*.trig")))
    return out


def _add_trig(out: Graph, files: list[Path]) -> None:
    for f in files:
        ds = Dataset()
        ds.parse(f, format="trig")
        for ctx in ds.graphs():
            for t in ctx:
                out.add(t)


def test_acts_on_un_chapter_iv_treaties_merge_with_the_untc_importer(g, sub, tmp_path_factory):
    acts = [n for n in fact_nodes(g, sub) if is_a(g, n, TKG.TreatyAct, sub)
            and re.fullmatch(r"untc-IV-\d+(-[a-z]+)?", local(one(g, n, TKG.treaty), "treaty"))]
    assert acts, "no curated act on a UN chapter IV treaty"
    needed = {local(one(g, n, TKG.treaty), "treaty")[len("untc-"):] for n in acts}
    untc = _untc_graph(needed, tmp_path_factory)
    problems = []
    for n in acts:
        if (n, RDF.type, None) not in untc:
            problems.append(f"{n}: the UNTC importer mints no such node (the two would not merge)")
            continue
        ours, theirs = one(g, n, TKG.date), one(untc, n, TKG.date)
        if ours != theirs:
            problems.append(f"{n}: date {ours} here, {theirs} from the depositary page")
        for p in (TKG.withdraws, TKG.acceptsProcedure, TKG.excludesProcedure):
            if set(g.objects(n, p)) != set(untc.objects(n, p)):
                problems.append(f"{n}: {p} differs: {set(g.objects(n, p))} here, {set(untc.objects(n, p))} from the importer")
    assert not problems, "\n".join(problems)
