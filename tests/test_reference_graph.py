"""The hand-edited reference graph (graph/reference/treaties.ttl, organizations.ttl).

Checks, for every node of the files rather than for named examples:
- the files parse, alone and together;
- every tkg: term exists in ontology/treatykg.ttl and every vocabulary value is a concept of
  the right scheme in ontology/vocab.ttl; tkg: domains and ranges hold;
- treaties, clauses, provisions, procedures, obligations, bodies and source records carry
  what the model requires, and their IRIs are what src/treatykg/iri.py mints;
- provenance: every typed node but provisions and source records is derived from a source
  record with a URL and a "status as of" date;
- the date clauses, run through the project's rule engine (treatykg.rules), give the
  effective dates the depositaries published for real acts (UNTC end notes read from the
  shared snapshot, Council of Europe and UK treaty records, the curated fact table).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from treatykg import iri, resources
from treatykg.rules import RULES, apply_rule, parse_duration

TKG = Namespace("https://w3id.org/treatykg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
VOCAB = iri.VOCAB

REFERENCE = resources.graph_dir() / "reference"
FILES = [REFERENCE / "treaties.ttl", REFERENCE / "organizations.ttl"]

# External terms the reference files may use (everything tkg: must be in treatykg.ttl).
EXTERNAL_PREDICATES = {
    RDF.type, RDFS.label, RDFS.comment, SKOS.altLabel, SKOS.exactMatch,
    DCTERMS.title, DCTERMS.publisher, PROV.wasDerivedFrom,
}
EXTERNAL_CLASSES = {PROV.Agent, ORG.Organization}

# Which concept scheme each vocabulary-valued property takes its values from.
SCHEME_OF = {
    TKG.dateRule: "date-rule",
    TKG.countsFrom: "count-from",
    TKG.acceptanceMode: "acceptance-mode",
    TKG.procedureKind: "procedure-kind",
    TKG.obligationKind: "obligation-kind",
    TKG.confidence: "confidence",
    TKG.dateConfidence: "confidence",
}

CLAUSE_KIND = {
    TKG.EntryIntoForceClause: "entry-into-force",
    TKG.DenunciationClause: "denunciation",
    TKG.MembershipClause: "membership",
}
# How a treaty without a clause of a kind must say so in its rdfs:comment.
MISSING_CLAUSE_NOTE = {
    "entry-into-force": "No entry-into-force clause",
    "denunciation": "No denunciation clause",
}
# Keys of the Swiss-deposited humanitarian law treaties ("ihl-{key}" in the IRI policy).
IHL_KEYS = {"GC-I": "gc1", "GC-II": "gc2", "GC-III": "gc3", "GC-IV": "gc4", "AP-I": "ap1"}


# ----------------------------------------------------------------------------------------
# fixtures


def _parse(*paths: Path) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


@pytest.fixture(scope="module")
def ref() -> Graph:
    return _parse(*FILES)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return _parse(*resources.ontology_files())


@pytest.fixture(scope="module")
def closure(onto) -> dict[URIRef, set[URIRef]]:
    """Each class -> itself and all its superclasses (rdfs:subClassOf, transitively)."""
    supers: dict[URIRef, set[URIRef]] = defaultdict(set)
    for c, sup in onto.subject_objects(RDFS.subClassOf):
        supers[c].add(sup)
    out: dict[URIRef, set[URIRef]] = {}
    for c in set(onto.subjects(RDF.type, OWL.Class)) | set(supers):
        seen, todo = {c}, [c]
        while todo:
            for s in supers.get(todo.pop(), ()):
                if s not in seen:
                    seen.add(s)
                    todo.append(s)
        out[c] = seen
    return out


def _types(g: Graph, node, closure) -> set[URIRef]:
    out: set[URIRef] = set()
    for t in g.objects(node, RDF.type):
        out |= closure.get(t, {t})
    return out


def _instances(g: Graph, cls: URIRef, closure) -> list[URIRef]:
    return sorted({s for s in g.subjects(RDF.type, None) if cls in _types(g, s, closure)}, key=str)


def _one(g: Graph, s, p):
    vals = list(g.objects(s, p))
    assert len(vals) == 1, f"{s} needs exactly one {p}, has {len(vals)}: {vals}"
    return vals[0]


def _local(node, kind: str) -> str:
    return iri.local_key(str(node), kind)


def _treaty_key(treaty) -> str:
    return _local(treaty, "treaty")


def _notation(onto: Graph, concept) -> str:
    return str(_one(onto, concept, SKOS.notation))


# ----------------------------------------------------------------------------------------
# parsing and terms


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_parses_on_its_own(path):
    g = _parse(path)
    assert len(g) > 0
    assert not any(isinstance(t, BNode) for tr in g for t in tr), f"{path.name} uses blank nodes"


def test_every_instance_iri_is_under_the_id_namespace(ref):
    for s in set(ref.subjects()):
        assert str(s).startswith(iri.ID), f"{s} is not a treatykg instance IRI"


def test_every_term_is_defined_in_the_ontology(ref, onto):
    defined = {s for s in onto.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/treatykg/ontology"))}
    for p in set(ref.predicates()):
        if str(p).startswith(str(TKG)):
            assert p in defined, f"property {p} is not defined in ontology/treatykg.ttl"
        else:
            assert p in EXTERNAL_PREDICATES, f"unexpected external property {p}"
    for c in set(ref.objects(None, RDF.type)):
        if str(c).startswith(str(TKG)):
            assert (c, RDF.type, OWL.Class) in onto, f"class {c} is not defined in ontology/treatykg.ttl"
        else:
            assert c in EXTERNAL_CLASSES, f"unexpected external class {c}"


def test_vocabulary_values_are_concepts_of_their_scheme(ref, onto):
    seen = defaultdict(int)
    for prop, scheme in SCHEME_OF.items():
        for s, o in ref.subject_objects(prop):
            assert (o, RDF.type, SKOS.Concept) in onto, f"{s} {prop}: {o} is not a concept in ontology/vocab.ttl"
            assert (o, SKOS.inScheme, URIRef(VOCAB + scheme)) in onto, f"{s} {prop}: {o} is not in scheme {scheme}"
            seen[prop] += 1
    for prop in (TKG.dateRule, TKG.countsFrom, TKG.acceptanceMode, TKG.procedureKind, TKG.obligationKind):
        assert seen[prop] > 0, f"no value of {prop} in the reference graph"


def test_domains_and_ranges_hold(ref, onto, closure):
    for p in set(ref.predicates()):
        if not str(p).startswith(str(TKG)):
            continue
        domains = set(onto.objects(p, RDFS.domain))
        ranges = set(onto.objects(p, RDFS.range))
        for s, o in ref.subject_objects(p):
            for d in domains:
                assert d in _types(ref, s, closure), f"{s} uses {p} but is not a {d}"
            for r in ranges:
                if str(r).startswith(str(XSD)):
                    assert isinstance(o, Literal), f"{s} {p}: {o!r} should be a literal of {r}"
                    assert (o.datatype or XSD.string) == r, f"{s} {p}: {o!r} is not of datatype {r}"
                elif r == SKOS.Concept:
                    assert (o, RDF.type, SKOS.Concept) in onto, f"{s} {p}: {o} is not a SKOS concept"
                else:
                    assert r in _types(ref, o, closure), f"{s} {p}: {o} is not a {r}"


# ----------------------------------------------------------------------------------------
# treaties and their IRIs


def _expected_treaty_key(short_id: str) -> str:
    m = re.fullmatch(r"ETS-(\d+)", short_id)
    if m:
        return iri.treaty_key_coe(m.group(1))
    if short_id in IHL_KEYS:
        return "ihl-" + IHL_KEYS[short_id]
    return iri.treaty_key_untc(short_id)


def test_treaties_have_the_required_fields(ref, closure):
    treaties = _instances(ref, TKG.Treaty, closure)
    assert len(treaties) >= 19
    for t in treaties:
        short_id = str(_one(ref, t, TKG.shortId))
        assert t == iri.treaty(_expected_treaty_key(short_id)), f"{t} does not match its shortId {short_id}"
        assert list(ref.objects(t, DCTERMS.title)), f"{t} has no title"
        assert isinstance(_one(ref, t, TKG.adoptedOn).toPython(), dt.date)
        eif = list(ref.objects(t, TKG.generalEntryIntoForce))
        if eif:
            assert eif[0].toPython() > _one(ref, t, TKG.adoptedOn).toPython(), f"{t} in force before adoption"
        assert _one(ref, t, TKG.depositary)
    short_ids = [str(_one(ref, t, TKG.shortId)) for t in treaties]
    assert len(short_ids) == len(set(short_ids)), "two treaties share a shortId"


def test_every_treaty_has_its_date_clauses_or_says_why_not(ref, closure):
    for t in _instances(ref, TKG.Treaty, closure):
        kinds = {CLAUSE_KIND[c] for cl in ref.objects(t, TKG.hasClause) for c in ref.objects(cl, RDF.type) if c in CLAUSE_KIND}
        comment = " ".join(str(c) for c in ref.objects(t, RDFS.comment))
        for kind, note in MISSING_CLAUSE_NOTE.items():
            if kind in kinds:
                assert note not in comment, f"{t} has a {kind} clause but its comment says it has none"
            else:
                assert note in comment, f"{t} has no {kind} clause and no comment saying why ('{note}: ...')"


def test_protocols_point_to_their_parent(ref, closure):
    for t in _instances(ref, TKG.AmendingProtocol, closure):
        parents = list(ref.objects(t, TKG.amends))
        assert parents and all(TKG.Treaty in _types(ref, p, closure) for p in parents), t
    for t in _instances(ref, TKG.OptionalProtocol, closure):
        parents = list(ref.objects(t, TKG.supplements))
        assert parents and all(TKG.Treaty in _types(ref, p, closure) for p in parents), t


# ----------------------------------------------------------------------------------------
# clauses and provisions


def test_clauses_are_complete_and_minted_by_iri_py(ref, onto, closure):
    clauses = _instances(ref, TKG.Clause, closure)
    assert len(clauses) >= 30
    for c in clauses:
        owners = list(ref.subjects(TKG.hasClause, c))
        assert len(owners) == 1, f"{c} belongs to {len(owners)} treaties"
        treaty = owners[0]
        assert _one(ref, c, TKG.treaty) == treaty
        kinds = [CLAUSE_KIND[k] for k in ref.objects(c, RDF.type) if k in CLAUSE_KIND]
        assert len(kinds) == 1, f"{c} must have exactly one clause class"
        assert c == iri.clause(_treaty_key(treaty), kinds[0])
        provision = _one(ref, c, TKG.provision)
        assert _one(ref, provision, TKG.provisionOf) == treaty, f"{c} rests on a provision of another treaty"
        rule = _notation(onto, _one(ref, c, TKG.dateRule))
        assert rule in RULES
        periods = list(ref.objects(c, TKG.period))
        if rule == "on-date":
            assert not periods, f"{c}: an on-date rule takes no period"
        else:
            assert len(periods) == 1, f"{c}: rule {rule} needs one period"
            assert periods[0].datatype == XSD.duration
            parse_duration(str(periods[0]), where=str(c))
        counts_from = _notation(onto, _one(ref, c, TKG.countsFrom))
        if kinds[0] == "membership":
            assert counts_from == "membership-loss"
            assert _one(ref, c, TKG.organization)
        else:
            assert counts_from in {"deposit", "receipt"}
            expected = "deposit" if kinds[0] == "entry-into-force" else "receipt"
            assert counts_from == expected, f"{c} counts from {counts_from}"
        for m in ref.objects(c, TKG.minimumPartyPeriod):
            parse_duration(str(m), where=str(c))
        assert list(ref.objects(c, PROV.wasDerivedFrom)), f"{c} has no source"


def test_provisions_are_minted_from_their_labels(ref, closure):
    provisions = _instances(ref, TKG.Provision, closure)
    assert provisions
    for p in provisions:
        treaty = _one(ref, p, TKG.provisionOf)
        label = str(_one(ref, p, RDFS.label))
        m = re.fullmatch(r"Article (\S+)", label)
        assert m, f"{p}: label {label!r} is not 'Article <number>'"
        assert p == iri.provision(_treaty_key(treaty), m.group(1)), f"{p} is not what iri.provision mints for {label}"
    # every provision the graph points to is described
    for prop in (TKG.provision, TKG.acceptanceProvision, TKG.imposedBy):
        for s, o in ref.subject_objects(prop):
            assert (o, RDF.type, TKG.Provision) in ref, f"{s} {prop} {o}: provision not described"


# ----------------------------------------------------------------------------------------
# bodies, procedures, obligations


def test_procedures_are_complete_and_minted_by_iri_py(ref, onto, closure):
    procedures = _instances(ref, TKG.OversightProcedure, closure)
    assert len(procedures) >= 15
    for pr in procedures:
        treaty = _one(ref, pr, TKG.treaty)
        body = _one(ref, pr, TKG.operatedBy)
        assert TKG.MonitoringBody in _types(ref, body, closure)
        kind = _notation(onto, _one(ref, pr, TKG.procedureKind))
        mode = _notation(onto, _one(ref, pr, TKG.acceptanceMode))
        assert pr == iri.procedure(_treaty_key(treaty), kind)
        provisions = list(ref.objects(pr, TKG.provision))
        assert provisions, f"{pr} names no provision"
        for p in provisions:
            assert _one(ref, p, TKG.provisionOf) == treaty, f"{pr}: {p} belongs to another treaty"
        acceptance = list(ref.objects(pr, TKG.acceptanceProvision))
        if mode in {"opt-in", "opt-out"}:
            assert acceptance, f"{pr} is {mode} but names no acceptance provision"
            for p in acceptance:
                assert _one(ref, p, TKG.provisionOf) == treaty
        else:
            assert not acceptance, f"{pr} is automatic but names an acceptance provision"


def test_obligations_serve_procedures_of_their_treaty(ref, onto, closure):
    obligations = _instances(ref, TKG.Obligation, closure)
    assert obligations
    for ob in obligations:
        imposed = list(ref.objects(ob, TKG.imposedBy))
        assert imposed, f"{ob} is imposed by no provision"
        treaties = {_one(ref, p, TKG.provisionOf) for p in imposed}
        assert len(treaties) == 1, f"{ob} is imposed by provisions of several treaties"
        treaty = treaties.pop()
        kind = _notation(onto, _one(ref, ob, TKG.obligationKind))
        assert ob == iri.obligation(_treaty_key(treaty), kind)
        assert TKG.MonitoringBody in _types(ref, _one(ref, ob, TKG.beneficiary), closure)
        served = list(ref.objects(ob, TKG.servesProcedure))
        assert served, f"{ob} serves no procedure"
        for pr in served:
            assert _one(ref, pr, TKG.treaty) == treaty, f"{ob} serves {pr} of another treaty"


def test_bodies_are_minted_and_tied_to_treaties(ref, closure):
    bodies = _instances(ref, TKG.MonitoringBody, closure)
    assert bodies
    for b in bodies:
        assert b == iri.body(_local(b, "body"))
        assert list(ref.objects(b, RDFS.label)), f"{b} has no label"
        used = set(ref.subjects(TKG.operatedBy, b)) | set(ref.subjects(TKG.establishes, b))
        assert used, f"{b} is neither established by a treaty nor operates a procedure"
        for p in ref.objects(b, TKG.provision):
            treaty = _one(ref, p, TKG.provisionOf)
            assert (treaty, TKG.establishes, b) in ref, f"{b} rests on {p} but {treaty} does not establish it"
        for m in ref.objects(b, SKOS.exactMatch):
            assert re.fullmatch(r"http://www\.wikidata\.org/entity/Q\d+", str(m)), m


def test_depositaries_are_described(ref):
    for t, d in ref.subject_objects(TKG.depositary):
        assert list(ref.objects(d, RDFS.label)), f"depositary {d} of {t} is not described"
        assert d == iri.organization(_local(d, "org"))


# ----------------------------------------------------------------------------------------
# provenance


def test_every_fact_node_has_a_source(ref):
    exempt = {TKG.SourceRecord, TKG.Provision}
    for s in sorted(set(ref.subjects(RDF.type, None)), key=str):
        if set(ref.objects(s, RDF.type)) & exempt:
            continue
        sources = list(ref.objects(s, PROV.wasDerivedFrom))
        assert sources, f"{s} has no prov:wasDerivedFrom"
        for src in sources:
            assert (src, RDF.type, TKG.SourceRecord) in ref, f"{s}: {src} is not a described source record"


def _expected_source(url: str, as_of: Literal) -> URIRef:
    """UNTC status pages are dated depositary snapshots, keyed like the UNTC importers key
    them: id/source/untc/<no>/<as of> for the 2026 pages, id/source/untc-2015/<no>/<as of>
    for the 2015 scrape; every other page is a web source (id/source/web/<host>/<hash>)."""
    parts = urlsplit(url)
    if parts.hostname == "treaties.un.org":
        series = "untc-2015" if str(as_of).startswith("2015-") else "untc"
        return iri.source(f"{series}/{parse_qs(parts.query)['mtdsg_no'][0]}/{as_of}")
    return iri.source_for_url(url)


def test_source_records_are_complete_and_minted_from_their_url(ref):
    records = sorted(set(ref.subjects(RDF.type, TKG.SourceRecord)), key=str)
    assert len(records) >= 40
    urls = set()
    for r in records:
        url = _one(ref, r, TKG.url)
        assert isinstance(url, URIRef) and re.match(r"https?://", str(url)), f"{r}: bad url {url!r}"
        as_of = _one(ref, r, TKG.statusAsOf)
        assert r == _expected_source(str(url), as_of), f"{r} is not the source IRI iri.py mints for {url}"
        assert as_of.datatype == XSD.date and as_of.toPython() <= dt.date.today()
        assert str(_one(ref, r, DCTERMS.title)).strip()
        assert str(_one(ref, r, DCTERMS.publisher)).strip()
        urls.add(str(url))
    assert len(urls) == len(records)


# ----------------------------------------------------------------------------------------
# the clauses against dates the depositaries published


def _clause(ref: Graph, onto: Graph, treaty_key: str, kind: str):
    c = iri.clause(treaty_key, kind)
    assert (iri.treaty(treaty_key), TKG.hasClause, c) in ref, f"{treaty_key} has no {kind} clause"
    rule = _notation(onto, _one(ref, c, TKG.dateRule))
    period = next((str(p) for p in ref.objects(c, TKG.period)), None)
    return rule, period


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# (treaty key, clause kind, date counted from, published effective date, where published)
PUBLISHED = [
    # Revised Social Charter, Article K(3): UK treaty record tid=3685 and CoE Social Charter page 2011
    ("coe-ets-163", "entry-into-force", "2011-05-20", "2011-07-01", "Austria, CoE 2011"),
    ("coe-ets-163", "entry-into-force", "2002-11-14", "2003-01-01", "Albania, UK treaty record"),
    ("coe-ets-163", "entry-into-force", "2000-06-07", "2000-08-01", "Bulgaria, UK treaty record"),
    # ECHR Article 58(3): membership ended 16 March 2022, Party until 16 September 2022 (facts A02, A05)
    ("coe-ets-5", "membership", "2022-03-16", "2022-09-16", "Russian Federation, CM/Res(2022)3"),
    # Geneva Convention II: USSR deposit 10 May 1954, in force 10 November 1954 (facts C01, C02)
    ("ihl-gc2", "entry-into-force", "1954-05-10", "1954-11-10", "USSR"),
]


@pytest.mark.parametrize("key,kind,start,published,who", PUBLISHED, ids=[p[4] for p in PUBLISHED])
def test_clause_gives_the_published_date(ref, onto, key, kind, start, published, who):
    rule, period = _clause(ref, onto, key, kind)
    assert apply_rule(rule, period, _d(start)) == _d(published)


def test_fcnm_denunciation_received_in_january_2024_ends_on_1_august_2024(ref, onto):
    # facts E05: Russia's participation in the Framework Convention ended on 1 August 2024;
    # the day of receipt is unknown, but any day of January 2024 must give that date.
    rule, period = _clause(ref, onto, "coe-ets-157", "denunciation")
    day = dt.date(2024, 1, 1)
    while day.month == 1:
        assert apply_rule(rule, period, day) == dt.date(2024, 8, 1), day
        day += dt.timedelta(days=1)


_DENUNCIATION_NOTE = re.compile(
    r"On (\d{1,2} [A-Z][a-z]+ \d{4}),? the Government of ([A-Z][\w ]+?) "
    r"(?:notified|informed) the Secretary-General[^.]*?(?:denounce|denunciation)[^.]*?with effect from (\d{1,2} [A-Z][a-z]+ \d{4})"
)


def _untc_page_text(name: str) -> str:
    shared = resources.shared_data_dir()
    page = shared / "untc-hr-2026" / "html" / name if shared else None
    if page is None or not page.is_file():
        pytest.skip(f"shared UNTC snapshot not available ({name})")
    text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(text))


def test_iccpr_op1_denunciations_in_the_untc_end_notes(ref, onto):
    text = _untc_page_text("iccpr_op1.html")
    notes = {(who, d1, d2) for d1, who, d2 in _DENUNCIATION_NOTE.findall(text)}
    assert len(notes) >= 4, f"expected the UNTC end notes on denunciations, found {notes}"
    rule, period = _clause(ref, onto, "untc-IV-5", "denunciation")
    for who, notified, effective in sorted(notes):
        start = dt.datetime.strptime(notified, "%d %B %Y").date()
        published = dt.datetime.strptime(effective, "%d %B %Y").date()
        assert apply_rule(rule, period, start) == published, f"{who}: notified {notified}, UNTC says {effective}"


def test_the_derivation_engine_reads_every_clause(ref):
    """The clauses as the derivation engine reads them (treatykg.derive.read_model)."""
    from treatykg.derive import read_model
    from treatykg.kg import load_graph

    kg = load_graph(FILES, derive=False, use_cache=False)
    _acts, treaties, procedures = read_model(kg)
    for c in ref.subjects(RDF.type, None):
        if not (set(ref.objects(c, RDF.type)) & set(CLAUSE_KIND)):
            continue
        owner = str(_one(ref, c, TKG.treaty))
        model = treaties[owner]
        read = [x.iri for x in list(model.clauses.values()) + list(model.membership)]
        assert str(c) in read, f"the engine did not read {c}"
    assert {p.iri for p in procedures} == {str(p) for p in ref.subjects(RDF.type, TKG.OversightProcedure)}
