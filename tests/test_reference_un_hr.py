"""The UN human-rights part of the reference graph (graph/reference/un-human-rights.ttl).

tests/test_reference_graph.py checks treaties.ttl and organizations.ttl; its treaty check
expects each treaty's title, adoption date and depositary in the reference files, which this
file leaves to the UNTC importer. So the same checks are run here on the nodes this file
describes (read together with treaties.ttl and organizations.ttl, which it points into), with
the helpers of that module, plus checks that only this file needs:
- the treaties are the fourteen chapter IV treaties the file covers and carry no field the UNTC
  importer writes; the UNTC source records are the ones the importer writes (same URL, title,
  publisher and status date), so the merged graph has one of each;
- every opt-in declaration and opt-out reservation the UNTC importer finds on the fourteen status
  pages points to a procedure described here, with the matching acceptance mode;
- the entry-into-force clauses, run through the rule engine, give the general entry into force
  each UNTC page prints from the deposits the UNTC snapshot lists, and the per-State dates that
  depositaries and treaty databases published;
- the derivation engine reads every clause and procedure.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

import test_reference_graph as base
from treatykg import iri, resources
from treatykg.rules import RULES, apply_rule, parse_duration

TKG = base.TKG
UN_HR = base.REFERENCE / "un-human-rights.ttl"
FILES = [*base.FILES, UN_HR]

# The treaties this file covers (the chapter IV treaties that treaties.ttl does not describe).
SCOPE = {
    "IV-2", "IV-3", "IV-3-a", "IV-12", "IV-8", "IV-8-b", "IV-11", "IV-11-b", "IV-11-c", "IV-11-d",
    "IV-13", "IV-15", "IV-15-a", "IV-16",
}  # fmt: skip
# The UNTC status page of each, in the shared snapshot.
PAGES = {
    "IV-2": "cerd", "IV-3": "icescr", "IV-3-a": "icescr_op", "IV-12": "iccpr_op2", "IV-8": "cedaw",
    "IV-8-b": "cedaw_op", "IV-11": "crc", "IV-11-b": "crc_op_ac", "IV-11-c": "crc_op_sc",
    "IV-11-d": "crc_op_ic", "IV-13": "cmw", "IV-15": "crpd", "IV-15-a": "crpd_op", "IV-16": "ced",
}  # fmt: skip
# Fields of a treaty node that the UNTC importer writes; this file must not repeat them.
IMPORTER_FIELDS = [DCTERMS.title, TKG.adoptedOn, TKG.adoptedAt, TKG.generalEntryIntoForce, TKG.depositary]


# ----------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def mine() -> Graph:
    return base._parse(UN_HR)


@pytest.fixture(scope="module")
def ref() -> Graph:
    return base._parse(*FILES)


# the ontology and its subclass closure, as test_reference_graph.py reads them
onto = base.onto
closure = base.closure


def _instances(mine: Graph, ref: Graph, cls, closure) -> list[URIRef]:
    """Nodes this file types as ``cls`` (or a subclass)."""
    return sorted({s for s in mine.subjects(RDF.type, None) if cls in base._types(ref, s, closure)}, key=str)


def _shared_page(name: str) -> Path:
    shared = resources.shared_data_dir()
    page = shared / "untc-hr-2026" / "html" / f"{name}.html" if shared else None
    if page is None or not page.is_file():
        pytest.skip(f"shared UNTC snapshot not available ({name}.html)")
    return page


def _page_text(name: str) -> str:
    text = re.sub(r"<[^>]+>", " ", _shared_page(name).read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(text))


# ----------------------------------------------------------------------------------------
# the checks of test_reference_graph.py, on the nodes of this file


def test_file_parses_on_its_own_without_blank_nodes(mine):
    assert len(mine) > 0
    assert not any(isinstance(t, BNode) for tr in mine for t in tr), "un-human-rights.ttl uses blank nodes"


def test_every_subject_is_a_treatykg_instance(mine):
    for s in set(mine.subjects()):
        assert str(s).startswith(iri.ID), f"{s} is not a treatykg instance IRI"


def test_every_term_is_defined_in_the_ontology(mine, onto):
    defined = set(onto.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/treatykg/ontology")))
    for p in set(mine.predicates()):
        if str(p).startswith(str(TKG)):
            assert p in defined, f"property {p} is not defined in ontology/treatykg.ttl"
        else:
            assert p in base.EXTERNAL_PREDICATES, f"unexpected external property {p}"
    for c in set(mine.objects(None, RDF.type)):
        if str(c).startswith(str(TKG)):
            assert (c, RDF.type, OWL.Class) in onto, f"class {c} is not defined in ontology/treatykg.ttl"
        else:
            assert c in base.EXTERNAL_CLASSES, f"unexpected external class {c}"


def test_vocabulary_values_are_concepts_of_their_scheme(mine, onto):
    for prop, scheme in base.SCHEME_OF.items():
        for s, o in mine.subject_objects(prop):
            assert (o, SKOS.inScheme, URIRef(base.VOCAB + scheme)) in onto, f"{s} {prop}: {o} is not in scheme {scheme}"


def test_domains_and_ranges_hold(mine, ref, onto, closure):
    for s, p, o in mine:
        if not str(p).startswith(str(TKG)):
            continue
        for d in onto.objects(p, RDFS.domain):
            assert d in base._types(ref, s, closure), f"{s} uses {p} but is not a {d}"
        for r in onto.objects(p, RDFS.range):
            if str(r).startswith(str(XSD)):
                assert isinstance(o, Literal) and (o.datatype or XSD.string) == r, f"{s} {p}: {o!r} is not a {r}"
            elif r == SKOS.Concept:
                assert (o, RDF.type, SKOS.Concept) in onto, f"{s} {p}: {o} is not a SKOS concept"
            else:
                assert r in base._types(ref, o, closure), f"{s} {p}: {o} is not a {r}"


def test_treaties_are_the_fourteen_and_leave_the_importer_fields_to_the_importer(mine, ref, closure):
    treaties = _instances(mine, ref, TKG.Treaty, closure)
    elsewhere = base._parse(*base.FILES)
    short_ids = set()
    for t in treaties:
        short_id = str(base._one(mine, t, TKG.shortId))
        short_ids.add(short_id)
        assert t == iri.treaty(iri.treaty_key_untc(short_id)), f"{t} does not match its shortId {short_id}"
        assert not set(elsewhere.predicate_objects(t)), f"{t} is also described in treaties.ttl"
        for p in IMPORTER_FIELDS:
            assert not list(mine.objects(t, p)), f"{t}: {p} is the UNTC importer's to write"
    assert short_ids == SCOPE


def test_every_treaty_has_its_date_clauses_or_says_why_not(mine, ref, closure):
    for t in _instances(mine, ref, TKG.Treaty, closure):
        kinds = {base.CLAUSE_KIND[c] for cl in mine.objects(t, TKG.hasClause) for c in mine.objects(cl, RDF.type) if c in base.CLAUSE_KIND}
        comment = " ".join(str(c) for c in mine.objects(t, RDFS.comment))
        assert "entry-into-force" in kinds, f"{t} has no entry-into-force clause"
        note = base.MISSING_CLAUSE_NOTE["denunciation"]
        assert ("denunciation" in kinds) != (note in comment), f"{t}: a denunciation clause, or '{note}: ...' in the comment"


def test_protocols_point_to_their_parent(mine, ref, closure):
    protocols = _instances(mine, ref, TKG.OptionalProtocol, closure)
    assert protocols
    for t in protocols:
        parents = list(mine.objects(t, TKG.supplements))
        assert parents and all(TKG.Treaty in base._types(ref, p, closure) for p in parents), t
        key = base._treaty_key(t)
        if re.fullmatch(r"untc-[IVXLC]+-\d+-[a-z]+", key):  # the MTDSG number names the parent
            assert parents == [iri.treaty(key.rsplit("-", 1)[0])], f"{t} supplements {parents}"


def test_clauses_are_complete_and_minted_by_iri_py(mine, ref, onto, closure):
    clauses = _instances(mine, ref, TKG.Clause, closure)
    assert clauses
    for c in clauses:
        owners = list(ref.subjects(TKG.hasClause, c))
        assert len(owners) == 1, f"{c} belongs to {len(owners)} treaties"
        treaty = owners[0]
        assert base._one(mine, c, TKG.treaty) == treaty
        kinds = [base.CLAUSE_KIND[k] for k in mine.objects(c, RDF.type) if k in base.CLAUSE_KIND]
        assert len(kinds) == 1 and kinds[0] != "membership", f"{c}: one entry-into-force or denunciation class"
        assert c == iri.clause(base._treaty_key(treaty), kinds[0])
        assert base._one(ref, base._one(mine, c, TKG.provision), TKG.provisionOf) == treaty
        rule = base._notation(onto, base._one(mine, c, TKG.dateRule))
        assert rule in RULES
        periods = list(mine.objects(c, TKG.period))
        assert (not periods) if rule == "on-date" else len(periods) == 1, f"{c}: rule {rule} and periods {periods}"
        for p in periods + list(mine.objects(c, TKG.minimumPartyPeriod)):
            assert p.datatype == XSD.duration
            parse_duration(str(p), where=str(c))
        expected = "deposit" if kinds[0] == "entry-into-force" else "receipt"
        assert base._notation(onto, base._one(mine, c, TKG.countsFrom)) == expected, c
        assert list(mine.objects(c, PROV.wasDerivedFrom)), f"{c} has no source"


def test_provisions_are_minted_from_their_labels(mine, ref, closure):
    provisions = _instances(mine, ref, TKG.Provision, closure)
    assert provisions
    for p in provisions:
        treaty = base._one(mine, p, TKG.provisionOf)
        m = re.fullmatch(r"Article (\S+)", str(base._one(mine, p, RDFS.label)))
        assert m and p == iri.provision(base._treaty_key(treaty), m.group(1)), f"{p} is not what iri.provision mints"
    for prop in (TKG.provision, TKG.acceptanceProvision, TKG.imposedBy):
        for s, o in mine.subject_objects(prop):
            assert (o, RDF.type, TKG.Provision) in ref, f"{s} {prop} {o}: provision not described"


def test_procedures_are_complete_and_minted_by_iri_py(mine, ref, onto, closure):
    procedures = _instances(mine, ref, TKG.OversightProcedure, closure)
    assert procedures
    for pr in procedures:
        treaty = base._one(mine, pr, TKG.treaty)
        assert TKG.MonitoringBody in base._types(ref, base._one(mine, pr, TKG.operatedBy), closure)
        kind = base._notation(onto, base._one(mine, pr, TKG.procedureKind))
        mode = base._notation(onto, base._one(mine, pr, TKG.acceptanceMode))
        assert pr == iri.procedure(base._treaty_key(treaty), kind)
        provisions = list(mine.objects(pr, TKG.provision))
        assert provisions, f"{pr} names no provision"
        acceptance = list(mine.objects(pr, TKG.acceptanceProvision))
        for p in provisions + acceptance:
            assert base._one(ref, p, TKG.provisionOf) == treaty, f"{pr}: {p} belongs to another treaty"
        assert bool(acceptance) == (mode in {"opt-in", "opt-out"}), f"{pr} is {mode}; acceptance provisions {acceptance}"


def test_bodies_are_minted_and_tied_to_treaties(mine, ref, closure):
    bodies = _instances(mine, ref, TKG.MonitoringBody, closure)
    assert bodies
    for b in bodies:
        assert b == iri.body(base._local(b, "body"))
        assert list(mine.objects(b, RDFS.label)), f"{b} has no label"
        assert set(ref.subjects(TKG.operatedBy, b)) and set(ref.subjects(TKG.establishes, b)), f"{b} operates nothing or is set up by no treaty"
        for p in mine.objects(b, TKG.provision):
            treaty = base._one(ref, p, TKG.provisionOf)
            assert (treaty, TKG.establishes, b) in ref, f"{b} rests on {p} but {treaty} does not establish it"


def test_every_fact_node_has_a_source(mine, ref):
    exempt = {TKG.SourceRecord, TKG.Provision}
    for s in sorted(set(mine.subjects(RDF.type, None)), key=str):
        if set(mine.objects(s, RDF.type)) & exempt:
            continue
        sources = list(mine.objects(s, PROV.wasDerivedFrom))
        assert sources, f"{s} has no prov:wasDerivedFrom"
        for src in sources:
            assert (src, RDF.type, TKG.SourceRecord) in ref, f"{s}: {src} is not a described source record"


def test_source_records_are_complete_and_minted_from_their_url(mine, ref):
    records = sorted(set(mine.subjects(RDF.type, TKG.SourceRecord)), key=str)
    assert records
    for r in records:
        url = base._one(ref, r, TKG.url)  # in the merged graph: a record described twice must agree
        assert isinstance(url, URIRef) and re.match(r"https?://", str(url)), f"{r}: bad url {url!r}"
        as_of = base._one(ref, r, TKG.statusAsOf)
        assert r == base._expected_source(str(url), as_of), f"{r} is not the source IRI iri.py mints for {url}"
        assert as_of.datatype == XSD.date and as_of.toPython() <= dt.date.today()
        assert str(base._one(ref, r, DCTERMS.title)).strip() and str(base._one(ref, r, DCTERMS.publisher)).strip()
        assert list(mine.objects(r, TKG.sourceAbout)), f"{r} says nothing about what it covers"
    urls = [str(u) for r in set(ref.subjects(RDF.type, TKG.SourceRecord)) for u in ref.objects(r, TKG.url)]
    assert len(urls) == len(set(urls)), "two source records share a URL"
    # every source record this file cites is described (here or in the other reference files)
    for src in set(mine.objects(None, PROV.wasDerivedFrom)):
        assert (src, RDF.type, TKG.SourceRecord) in ref, src


# ----------------------------------------------------------------------------------------
# agreement with the UNTC importer


@pytest.fixture(scope="module")
def untc_import():
    """The UNTC importer run on the fourteen status pages: {MTDSG no.: (page, dataset)}."""
    untc_html = pytest.importorskip("treatykg.importers.untc_html")
    from treatykg.importers.base import ImportReport

    out = {}
    for no, name in sorted(PAGES.items()):
        result = untc_html.import_page(_shared_page(name), ImportReport(source="untc"))
        assert result is not None, f"the UNTC importer could not read {name}.html"
        out[no] = result
    return out


def test_untc_source_records_are_the_ones_the_importer_writes(mine, untc_import):
    for no, (page, ds) in untc_import.items():
        record = iri.source(f"untc/{no}/{page.status_as_of.isoformat()}")
        assert (record, RDF.type, TKG.SourceRecord) in mine, f"{record} not described here"
        for p in (TKG.url, DCTERMS.title, DCTERMS.publisher, TKG.statusAsOf):
            written = {o for _s, _p, o, _g in ds.quads((record, p, None, None))}
            assert written and set(mine.objects(record, p)) == written, f"{record} {p} differs from the importer's"
        assert (iri.treaty(iri.treaty_key_untc(no)), TKG.shortId, Literal(page.mtdsg)) in mine


def test_declarations_found_by_the_importer_point_to_procedures_described_here(mine, onto, untc_import):
    expected_mode = {TKG.acceptsProcedure: "opt-in", TKG.excludesProcedure: "opt-out"}
    linked = set()
    for no, (_page, ds) in untc_import.items():
        for prop, mode in expected_mode.items():
            for act, _p, procedure, _g in ds.quads((None, prop, None, None)):
                linked.add(procedure)
                assert (procedure, RDF.type, TKG.OversightProcedure) in mine, f"{act} {prop} {procedure}: not described"
                got = base._notation(onto, base._one(mine, procedure, TKG.acceptanceMode))
                assert got == mode, f"{act} {prop} {procedure}, which is {got}"
    assert linked, "the importer linked no declaration to a procedure"


def test_the_importers_table_of_opt_procedures_agrees_with_this_file(mine, onto):
    untc_html = pytest.importorskip("treatykg.importers.untc_html")
    table = {k: v for k, v in untc_html.OPT_PROCEDURES.items() if k[0] in SCOPE}
    assert table
    for (no, article), (kind, mode, creating) in table.items():
        key = iri.treaty_key_untc(no)
        pr = iri.procedure(key, kind)
        assert (pr, RDF.type, TKG.OversightProcedure) in mine, f"{no} art. {article}: {pr} not described"
        assert base._notation(onto, base._one(mine, pr, TKG.acceptanceMode)) == mode, pr
        assert iri.provision(key, creating) in set(mine.objects(pr, TKG.provision)), f"{pr} is not created by art. {creating}"
        cited = {creating} | {str(base._one(mine, p, RDFS.label)).split()[1].split("(")[0] for p in mine.objects(pr, TKG.acceptanceProvision)}
        assert article in cited, f"{no} art. {article} is neither the article creating {pr} nor its acceptance provision"


# ----------------------------------------------------------------------------------------
# the clauses against dates the depositaries published


def _clause(mine: Graph, onto: Graph, key: str, kind: str):
    c = iri.clause(key, kind)
    assert (iri.treaty(key), TKG.hasClause, c) in mine, f"{key} has no {kind} clause"
    rule = base._notation(onto, base._one(mine, c, TKG.dateRule))
    period = next((str(p) for p in mine.objects(c, TKG.period)), None)
    return rule, period


# The number of instruments the general entry-into-force article requires, where that article
# counts the same period from the last of them as the later-State clause counts from a State's
# own instrument (read with the clauses). Not listed: CRC-OP-AC and CRC-OP-SC (three months for
# the general entry into force, one month for later States) and CRPD-OP (tied to the Convention).
GENERAL_THRESHOLD = {
    "IV-2": 27, "IV-3": 35, "IV-3-a": 10, "IV-12": 10, "IV-8": 20, "IV-8-b": 10, "IV-11": 20,
    "IV-11-d": 10, "IV-13": 20, "IV-15": 20, "IV-16": 20,
}  # fmt: skip


@pytest.fixture(scope="module")
def deposits() -> dict[str, list[dt.date]]:
    shared = resources.shared_data_dir()
    path = shared / "untc-hr-2026" / "un_hr_ratifications.csv" if shared else None
    if path is None or not path.is_file():
        pytest.skip("shared UNTC snapshot not available (un_hr_ratifications.csv)")
    out: dict[str, list[dt.date]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["action_type"] and row["action_date"]:  # ratification, accession or succession
                out[row["mtdsg_no"]].append(dt.date.fromisoformat(row["action_date"]))
    return out


@pytest.mark.parametrize("no", sorted(GENERAL_THRESHOLD))
def test_the_clause_gives_the_general_entry_into_force_the_untc_page_prints(mine, onto, deposits, no):
    """Some deposit the snapshot lists, not after the N-th, is exactly one period (by the clause's
    rule) before the general entry into force the page header prints. The snapshot leaves out some
    predecessor States (SOURCE.md), so the N-th deposit itself cannot be counted reliably."""
    m = re.search(r"Entry into force\s*:\s*(\d{1,2} [A-Z][a-z]+ \d{4})", _page_text(PAGES[no]))
    assert m, f"no entry into force in the header of {PAGES[no]}.html"
    general = dt.datetime.strptime(m.group(1), "%d %B %Y").date()
    rule, period = _clause(mine, onto, iri.treaty_key_untc(no), "entry-into-force")
    dates = deposits[no]
    assert len(dates) >= GENERAL_THRESHOLD[no]
    hits = [d for d in sorted(set(dates)) if apply_rule(rule, period, d) == general]
    assert hits, f"{no}: no deposit is {rule} {period} before {general}"
    assert any(sum(1 for x in dates if x < d) < GENERAL_THRESHOLD[no] for d in hits), f"{no}: {hits} come after the threshold"


# (treaty key, clause kind, date counted from, published effective date, who and where published)
PUBLISHED = [
    # CERD: UN Treaty Series registration record no. 9464 (treaties.un.org showDetails, objid 0800000280008954)
    ("untc-IV-2", "entry-into-force", "1983-07-06", "1983-08-05", "Afghanistan, UNTS record"),
    ("untc-IV-2", "entry-into-force", "1972-02-14", "1972-03-15", "Algeria, UNTS record"),
    ("untc-IV-2", "entry-into-force", "2019-10-02", "2019-11-01", "Angola, UNTS record"),
    # CERD: Swiss classified compilation SR 0.104, scope of application (lexaris.io copy)
    ("untc-IV-2", "entry-into-force", "1990-03-27", "1990-04-26", "Bahrain, SR 0.104"),
    # CRC-OP-SC: Slovak notification 424/2004 Z. z. (slov-lex.sk), Dutch treaty database (verdragen.nl)
    ("untc-IV-11-c", "entry-into-force", "2004-06-25", "2004-07-25", "Slovakia, 424/2004 Z. z."),
    ("untc-IV-11-c", "entry-into-force", "2008-02-05", "2008-03-05", "Albania, verdragen.nl"),
    ("untc-IV-11-c", "entry-into-force", "2006-12-27", "2007-01-27", "Algeria, verdragen.nl"),
]


@pytest.mark.parametrize("key,kind,start,published,who", PUBLISHED, ids=[p[4] for p in PUBLISHED])
def test_clause_gives_the_published_date(mine, onto, key, kind, start, published, who):
    rule, period = _clause(mine, onto, key, kind)
    assert apply_rule(rule, period, dt.date.fromisoformat(start)) == dt.date.fromisoformat(published)


def test_the_derivation_engine_reads_every_clause_and_procedure(mine):
    from treatykg.derive import read_model
    from treatykg.kg import load_graph

    kg = load_graph(FILES, derive=False, use_cache=False)
    _acts, treaties, procedures = read_model(kg)
    for c in mine.subjects(RDF.type, None):
        if set(mine.objects(c, RDF.type)) & set(base.CLAUSE_KIND):
            model = treaties[str(base._one(mine, c, TKG.treaty))]
            assert str(c) in [x.iri for x in model.clauses.values()], f"the engine did not read {c}"
    read = {p.iri for p in procedures}
    for pr in mine.subjects(RDF.type, TKG.OversightProcedure):
        assert str(pr) in read, f"the engine did not read {pr}"
