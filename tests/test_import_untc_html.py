"""The UNTC status-page importer (treatykg.importers.untc_html).

Most tests run the importer over the 18 real UNTC pages of /work/shared/data/untc-hr-2026/html
(found with treatykg.resources.shared_data_dir(); skipped with a message when absent) and check
the RDF it writes, with SPARQL, against what the pages themselves print: the "Parties" and
"Signatories" counts of each page header, and the end notes of ICCPR-OP1 read with an independent
regular expression. The bad-input tests use the small fixtures of tests/fixtures/untc/.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from treatykg import iri, names
from treatykg.importers import untc_html
from treatykg.resources import shared_data_dir

TKG = Namespace("https://w3id.org/treatykg/ontology#")
FIXTURES = Path(__file__).parent / "fixtures" / "untc"
PREFIX = "PREFIX tkg: <https://w3id.org/treatykg/ontology#>\n"


def _html_dir() -> Path | None:
    base = shared_data_dir()
    d = base / "untc-hr-2026" / "html" if base else None
    return d if d is not None and d.is_dir() else None


HTML_DIR = _html_dir()
needs_pages = pytest.mark.skipif(
    HTML_DIR is None,
    reason="shared data untc-hr-2026/html not found (expected ../shared/data beside the checkout, "
    "or set TREATYKG_SHARED_DATA): the tests over the real UNTC pages need it",
)


def _named_graph(path: Path) -> Graph:
    """The one named graph of an output file (fails if there is not exactly one), as a Graph
    whose identifier is the graph name."""
    ds = Dataset()
    ds.parse(path, format="trig")
    ids = [c.identifier for c in ds.graphs() if str(c.identifier).startswith(iri.GRAPH)]
    assert len(ids) == 1, f"{path.name}: expected one named graph, found {ids}"
    assert len(ds.default_graph) == 0, f"{path.name}: triples outside the named graph"
    g = Graph(identifier=ids[0])
    for t in ds.graph(ids[0]):
        g.add(t)
    return g


def _mtdsg_of(html_file: Path) -> str:
    """The MTDSG number of a page, read independently of the importer (its form action)."""
    m = re.search(r"mtdsg_no=([IVXLC]+-\d+(?:-[a-z])?)", html_file.read_text(encoding="utf-8"))
    assert m, html_file
    return m.group(1)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    if HTML_DIR is None:
        pytest.skip("shared data untc-hr-2026/html not found")
    out = tmp_path_factory.mktemp("untc")
    report = untc_html.run([HTML_DIR], out)
    graphs = {p.stem: _named_graph(p) for p in sorted(out.glob("*.trig"))}
    return report, out, graphs


# ------------------------------------------------------------------------------------------------
# output layout and provenance
# ------------------------------------------------------------------------------------------------
@needs_pages
def test_one_file_and_one_named_graph_per_page(imported):
    report, out, graphs = imported
    pages = sorted(HTML_DIR.glob("*.html"))
    assert len(pages) == 18
    assert set(graphs) == {_mtdsg_of(p) for p in pages}
    assert report.usable and len(report.written) == 18
    for no, g in graphs.items():
        stamp = re.search(
            r"STATUS AS AT\s*:\s*(\d\d)-(\d\d)-(\d{4})", (HTML_DIR / _page_of(no)).read_text(encoding="utf-8")
        )
        as_of = f"{stamp.group(3)}-{stamp.group(2)}-{stamp.group(1)}"
        src = iri.source(f"untc/{no}/{as_of}")
        assert g.identifier == iri.named_graph(f"untc/{no}/{as_of}")
        assert (src, RDF.type, TKG.SourceRecord) in g
        assert (src, TKG.statusAsOf, Literal(as_of, datatype=XSD.date)) in g
        url = str(g.value(src, TKG.url))
        assert url.startswith("https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=" + no + "&chapter=")
        treaty = iri.treaty(iri.treaty_key_untc(no))
        assert (src, TKG.sourceAbout, treaty) in g
        assert (treaty, TKG.shortId, Literal(no)) in g
        assert (treaty, TKG.depositary, URIRef("https://w3id.org/treatykg/id/org/un")) in g
        assert g.value(treaty, TKG.adoptedOn) is not None and g.value(treaty, TKG.generalEntryIntoForce) is not None


def _page_of(no: str) -> str:
    for p in HTML_DIR.glob("*.html"):
        if _mtdsg_of(p) == no:
            return p.name
    raise KeyError(no)


@needs_pages
def test_every_act_is_sourced_located_and_dated(imported):
    _, _, graphs = imported
    for no, g in graphs.items():
        src = g.identifier
        acts = {s for s in g.subjects(TKG.actor, None)}
        assert len(acts) > 50, no
        for a in acts:
            assert str(a).startswith(iri.ID + "act/untc-" + no + "/"), a
            assert g.value(a, TKG.treaty) == iri.treaty(iri.treaty_key_untc(no)), a
            derived = set(g.objects(a, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
            assert derived == {iri.source(str(src)[len(iri.GRAPH) :])}, a
            assert g.value(a, TKG.sourceLocator) is not None, a
            assert (g.value(a, TKG.date) is not None) != (g.value(a, TKG.datePrecision) is not None), a


@needs_pages
def test_no_text_of_declarations_is_stored(imported):
    """Only dates, counts, names, titles, territories and locators are literals; never statement text."""
    _, _, graphs = imported
    for no, g in graphs.items():
        for lit in g.objects():
            if isinstance(lit, Literal) and lit.datatype is None:
                s = str(lit)
                assert not re.search(
                    r"recogni[sz]e|hereby|does not consider itself bound|competence of the", s, re.I
                ), (no, s)


# ------------------------------------------------------------------------------------------------
# the printed counts, recomputed from the RDF
# ------------------------------------------------------------------------------------------------
# A participant is a party on the status date D when it has a consent act (ratification,
# acceptance, approval, accession, succession, definitive signature) dated on or before D that no
# later denunciation ended on or before D. "Later" is strict: Guyana denounced ICCPR-OP1 and
# re-acceded on the same day, and the denunciation ends the earlier accession only. A denunciation
# ends a participation when its effective date is on or before D, or, where the page gives no
# effective date (Jamaica), when its latest possible effective date is (the importer bounds it by
# the status date because the page prints the ended participation in brackets).
Q_PARTIES = (
    PREFIX
    + """
SELECT DISTINCT ?actor ?code WHERE {
  ?src a tkg:SourceRecord ; tkg:statusAsOf ?D ; tkg:sourceAbout ?t .
  VALUES ?cls { tkg:Ratification tkg:Acceptance tkg:Approval tkg:Accession tkg:Succession tkg:DefinitiveSignature }
  ?c a ?cls ; tkg:treaty ?t ; tkg:actor ?actor ; tkg:date ?cd .
  OPTIONAL { ?actor tkg:isoAlpha3 ?code }
  FILTER(?cd <= ?D)
  FILTER NOT EXISTS {
    ?n a tkg:Denunciation ; tkg:treaty ?t ; tkg:actor ?actor ; tkg:date ?nd .
    FILTER(?nd > ?cd)
    { ?n tkg:effectiveDate ?ne } UNION { ?n tkg:effectiveDateLatest ?ne }
    FILTER(?ne <= ?D)
  }
}"""
)
# Signatories: participants with a signature (not a definitive one) on or before D whose
# participation no denunciation ended (Jamaica's signature of ICCPR-OP1 is bracketed too).
Q_SIGNATORIES = (
    PREFIX
    + """
SELECT DISTINCT ?actor ?code WHERE {
  ?src a tkg:SourceRecord ; tkg:statusAsOf ?D ; tkg:sourceAbout ?t .
  ?s a tkg:Signature ; tkg:treaty ?t ; tkg:actor ?actor ; tkg:date ?sd .
  OPTIONAL { ?actor tkg:isoAlpha3 ?code }
  FILTER NOT EXISTS { ?s a tkg:DefinitiveSignature }
  FILTER(?sd <= ?D)
  FILTER NOT EXISTS {
    ?n a tkg:Denunciation ; tkg:treaty ?t ; tkg:actor ?actor ; tkg:date ?nd .
    FILTER(?nd > ?sd)
    { ?n tkg:effectiveDate ?ne } UNION { ?n tkg:effectiveDateLatest ?ne }
    FILTER(?ne <= ?D)
  }
}"""
)
Q_PRINTED = (
    PREFIX + "SELECT ?p ?s WHERE { ?src a tkg:SourceRecord ; tkg:reportedParties ?p ; tkg:reportedSignatories ?s }"
)


def _current(rows) -> set[str]:
    """UNTC counts current participants only. The end notes also give the acts of predecessor
    States that no longer exist (German Democratic Republic, Czechoslovakia, the former
    Yugoslavia: ISO 3166-3 codes); they are imported as acts of those States and not counted."""
    out = set()
    for actor, code in rows:
        if code is not None and names.is_former_state(str(code)):
            continue
        out.add(str(actor))
    return out


@needs_pages
def test_parties_and_signatories_match_the_printed_counts(imported):
    _, _, graphs = imported
    problems = []
    for no, g in sorted(graphs.items()):
        (printed,) = list(g.query(Q_PRINTED))
        parties = _current(g.query(Q_PARTIES))
        signatories = _current(g.query(Q_SIGNATORIES))
        if len(parties) != int(printed.p):
            problems.append(f"{no}: {len(parties)} parties in the RDF, {printed.p} printed")
        if len(signatories) != int(printed.s):
            problems.append(f"{no}: {len(signatories)} signatories in the RDF, {printed.s} printed")
    assert not problems, "\n".join(problems)


@needs_pages
def test_printed_counts_are_read_from_the_header(imported):
    _, _, graphs = imported
    for no, g in graphs.items():
        text = (HTML_DIR / _page_of(no)).read_text(encoding="utf-8")
        m = re.search(r"Signatories\s*:\s*(\d+)\.?\s*Parties\s*:\s*(\d+)", re.sub(r"<[^>]+>", " ", text))
        (printed,) = list(g.query(Q_PRINTED))
        assert (int(printed.s), int(printed.p)) == (int(m.group(1)), int(m.group(2))), no


# ------------------------------------------------------------------------------------------------
# ICCPR-OP1: denunciations and re-accessions from the end notes
# ------------------------------------------------------------------------------------------------
_DATE = r"\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}"


def _d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d %B %Y").date()


def _end_notes_text(page: Path) -> str:
    raw = page.read_text(encoding="utf-8")
    raw = raw[raw.find("dgNotesAll") :]
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", raw)))


@needs_pages
def test_iccpr_op1_denunciations_carry_the_dates_of_the_end_notes(imported):
    _, _, graphs = imported
    g = graphs["IV-5"]
    text = _end_notes_text(HTML_DIR / _page_of("IV-5"))
    # an independent reading of the notes: "On D, the Government of X notified/informed the
    # Secretary-General of its decision to denounce / of its denunciation ... with effect from E"
    rx = re.compile(
        rf"On ({_DATE}),? the Government of ([A-Z][A-Za-z ]+?) (?:notified|informed) the Secretary-General "
        rf"(?:of its decision to denounce|of its denunciation of|that it had decided to denounce)[^.]*?"
        rf"(?:with effect from ({_DATE})|\.)"
    )
    expected = set()
    for m in rx.finditer(text):
        code = names.resolve(m.group(2)).code
        expected.add((code, _d(m.group(1)), _d(m.group(3)) if m.group(3) else None))
    assert {c for c, _, _ in expected} >= {"BLR", "JAM", "TTO", "GUY"}
    assert ("BLR", dt.date(2022, 11, 8), dt.date(2023, 2, 8)) in expected  # as the brief reads note 6

    got = set()
    for n in g.subjects(RDF.type, TKG.Denunciation):
        code = str(g.value(n, TKG.actor)).rsplit("/", 1)[1]
        eff = g.value(n, TKG.effectiveDate)
        got.add((code, g.value(n, TKG.date).toPython(), eff.toPython() if eff is not None else None))
        if eff is not None:
            assert g.value(n, TKG.effectiveDateBasis) == iri.vocab("date-basis", "published")
    assert got == expected

    # Jamaica's note gives no effective date: none is invented, it is bounded by the notification
    # and by the status date (the page prints the participation in brackets, as ended)
    jam = iri.act("untc-IV-5", "JAM", "denunciation", "1997-10-23")
    assert g.value(jam, TKG.effectiveDate) is None
    assert g.value(jam, TKG.effectiveDateEarliest).toPython() == dt.date(1997, 10, 23)
    src = next(g.subjects(RDF.type, TKG.SourceRecord))
    assert g.value(jam, TKG.effectiveDateLatest) == g.value(src, TKG.statusAsOf)


@needs_pages
def test_iccpr_op1_accessions_from_the_end_notes(imported):
    g = imported[2]["IV-5"]
    text = _end_notes_text(HTML_DIR / _page_of("IV-5"))
    reacc = {
        (names.resolve(m.group(2)).code, _d(m.group(1)))
        for m in re.finditer(rf"On ({_DATE}),? the Government of ([A-Z][A-Za-z ]+?) re-acceded", text)
    }
    initial = {
        (names.resolve(m.group(1)).code, _d(m.group(2)))
        for m in re.finditer(
            rf"Government of ([A-Z][A-Za-z ]+?) had initially acceded to the Optional Protocol on ({_DATE})", text
        )
    }
    assert ("TTO", dt.date(1998, 8, 26)) in reacc and ("GUY", dt.date(1993, 5, 10)) in initial
    for code, d in reacc | initial:
        assert (iri.act("untc-IV-5", code, "accession", d.isoformat()), RDF.type, TKG.Accession) in g
    # the bracketed accession of Belarus is still an act: it happened
    assert (iri.act("untc-IV-5", "BLR", "accession", "1992-09-30"), RDF.type, TKG.Accession) in g


# ------------------------------------------------------------------------------------------------
# the Russian Federation
# ------------------------------------------------------------------------------------------------
@needs_pages
def test_russian_federation_on_cat(imported):
    g = imported[2]["IV-9"]
    cat = "untc-IV-9"
    for cls, d in (("Signature", "1985-12-10"), ("Ratification", "1987-03-03")):
        assert (iri.act(cat, "RUS", cls.lower(), d), RDF.type, TKG[cls]) in g
    # the article 20 (inquiry) opt-out reservation and its withdrawal of 1 October 1991 (end note 18)
    ask = (
        PREFIX
        + """
    ASK {
      ?w a tkg:WithdrawalOfReservation ; tkg:actor ?rus ; tkg:date "1991-10-01"^^<http://www.w3.org/2001/XMLSchema#date> ;
         tkg:withdraws ?r ; tkg:concernsProvision ?art20 ; tkg:performedAs ?sun .
      ?r a tkg:Reservation ; tkg:actor ?rus ; tkg:excludesProcedure ?inquiry ; tkg:concernsProvision ?art20 .
    }"""
    )
    assert g.query(
        ask,
        initBindings={
            "rus": iri.state("RUS"),
            "sun": iri.state("SUN"),
            "art20": iri.provision(cat, "art-20"),
            "inquiry": iri.procedure(cat, "inquiry"),
        },
    ).askAnswer
    # the article 21 and 22 declarations of 1 October 1991 accept the complaint procedures
    for art, kind in (("21", "inter-state-complaints"), ("22", "individual-complaints")):
        d = iri.act(cat, "RUS", "declaration", "1991-10-01", f"art-{art}")
        assert (d, RDF.type, TKG.Declaration) in g
        assert (d, TKG.acceptsProcedure, iri.procedure(cat, kind)) in g
        assert (d, TKG.concernsProvision, iri.provision(cat, f"art-{art}")) in g
    # the State node
    rus = iri.state("RUS")
    assert (rus, RDF.type, TKG.State) in g and (rus, TKG.isoAlpha3, Literal("RUS")) in g


@needs_pages
def test_russian_federation_iccpr_article_41(imported):
    g = imported[2]["IV-4"]
    d = iri.act("untc-IV-4", "RUS", "declaration", "1991-10-01", "art-41")
    assert (d, TKG.acceptsProcedure, iri.procedure("untc-IV-4", "inter-state-complaints")) in g
    assert (iri.act("untc-IV-4", "RUS", "ratification", "1973-10-16"), RDF.type, TKG.Ratification) in g
    # the derogation notifications of 1988-1995, each dated by the receipt printed above it
    derogations = [a for a in g.subjects(TKG.actor, iri.state("RUS")) if (a, RDF.type, TKG.Derogation) in g]
    assert (iri.act("untc-IV-4", "RUS", "derogation", "1988-10-18"), RDF.type, TKG.Derogation) in g
    assert len(derogations) >= 10 and all(g.value(a, TKG.date) is not None for a in derogations)


@needs_pages
def test_opt_in_and_opt_out_acts_follow_the_procedure_table(imported):
    """Each accepted / excluded procedure is the one the table gives for the article the act concerns."""
    _, _, graphs = imported
    n = 0
    for no, g in graphs.items():
        key = iri.treaty_key_untc(no)
        for prop in (TKG.acceptsProcedure, TKG.excludesProcedure):
            for act, proc in g.subject_objects(prop):
                n += 1
                kind = str(proc).rsplit("/", 1)[1]
                arts = {str(p).rsplit("/art-", 1)[1] for p in g.objects(act, TKG.concernsProvision)}
                table = {a for (t, a), v in untc_html.OPT_PROCEDURES.items() if t == no and v[0] == kind}
                assert arts & table, (act, arts, table)
                assert proc == iri.procedure(key, kind)
                assert (act, RDF.type, TKG.Declaration if prop == TKG.acceptsProcedure else TKG.Reservation) in g
    assert n > 300


# ------------------------------------------------------------------------------------------------
# withdrawals and effective dates (end notes)
# ------------------------------------------------------------------------------------------------
_DATES = rf"{_DATE}(?:, {_DATE})*,? and {_DATE}"
# an independent reading of "On D1, D2 and D3, respectively, the Government of X notified the
# Secretary-General of its decision to withdraw the reservations ... (with effect from E1) ...
# (with effect from E2) ...": the i-th withdrawal takes effect on the i-th "with effect from"
_RESPECTIVELY = re.compile(
    rf"On ({_DATES}),? respectively,? the Government of (?:the )?([A-Z][A-Za-z ]+?) notified the Secretary-General "
    rf"of its decision to withdraw the reservations? ([^.]*)\."
)


def _respective_withdrawals(text: str) -> list[tuple[str, dt.date, dt.date]]:
    """(State, date of the withdrawal, its effective date) for every note of that form whose
    effective dates are as many as its dates."""
    out = []
    for m in _RESPECTIVELY.finditer(text):
        dates = [_d(x) for x in re.findall(_DATE, m.group(1))]
        effects = [_d(x) for x in re.findall(rf"with effect from ({_DATE})", m.group(3))]
        if len(effects) == len(dates):
            code = names.resolve(m.group(2)).code
            out += [(code, d, e) for d, e in zip(dates, effects)]
    return out


def _effective_by_date(g: Graph, key: str, code: str, cls) -> dict[dt.date, dt.date | None]:
    out = {}
    for n in g.subjects(TKG.actor, iri.state(code)):
        if (n, RDF.type, cls) in g and (n, TKG.treaty, iri.treaty(key)) in g:
            eff = g.value(n, TKG.effectiveDate)
            out[g.value(n, TKG.date).toPython()] = eff.toPython() if eff is not None else None
    return out


@needs_pages
def test_withdrawals_listed_in_one_note_take_effect_on_their_own_dates(imported):
    """ICCPR end note 39 (Republic of Korea) lists three withdrawals, each "(with effect from ...)":
    each act gets its own effective date, none the first one's."""
    _, _, graphs = imported
    found = 0
    for no, g in graphs.items():
        key = iri.treaty_key_untc(no)
        for code, d, e in _respective_withdrawals(_end_notes_text(HTML_DIR / _page_of(no))):
            got = _effective_by_date(g, key, code, TKG.WithdrawalOfReservation)
            assert got.get(d) == e, (no, code, d, e, got.get(d))
            found += 1
    assert found >= 3  # at least the three withdrawals of the Republic of Korea (ICCPR)


@needs_pages
def test_no_act_takes_effect_before_its_own_date(imported):
    _, _, graphs = imported
    for no, g in graphs.items():
        for prop in (TKG.effectiveDate, TKG.effectiveDateEarliest):
            for n, eff in g.subject_objects(prop):
                d = g.value(n, TKG.date)
                assert d is None or eff.toPython() >= d.toPython(), (no, n, d, eff)


@needs_pages
def test_every_effective_date_names_its_basis(imported):
    """Effective dates and their bounds (a bracketed participation whose note gives no effective
    date, Jamaica's ICCPR-OP1 denunciation) are read from the page: basis published."""
    _, _, graphs = imported
    n = 0
    for no, g in graphs.items():
        subjects = {s for p in (TKG.effectiveDate, TKG.effectiveDateEarliest, TKG.effectiveDateLatest)
                    for s in g.subjects(p, None)}
        for s in subjects:
            assert list(g.objects(s, TKG.effectiveDateBasis)) == [iri.vocab("date-basis", "published")], (no, s)
            n += 1
    assert n > 0
    assert (iri.act("untc-IV-5", "JAM", "denunciation", "1997-10-23"), TKG.effectiveDateBasis,
            iri.vocab("date-basis", "published")) in graphs["IV-5"]


@needs_pages
def test_withdrawals_withdraw_acts_of_their_own_kind(imported):
    _, _, graphs = imported
    n = 0
    for no, g in graphs.items():
        for wcls, cls in (
            (TKG.WithdrawalOfReservation, TKG.Reservation),
            (TKG.WithdrawalOfDeclaration, TKG.Declaration),
        ):
            for w in g.subjects(RDF.type, wcls):
                for target in g.objects(w, TKG.withdraws):
                    assert (target, RDF.type, cls) in g, (no, w, target)
                    n += 1
    assert n > 50


@needs_pages
def test_qatar_withdrawal_on_cat_articles_21_and_22_is_of_a_reservation(imported):
    """CAT end note 29: on 14 March 2012 Qatar withdrew (in part) "the following reservations made
    upon accession: ... (b) The competence of the Committee as indicated in articles 21 and 22".
    Articles 21 and 22 are opt-in: a State accepts them only by a declaration, and the page prints
    none for Qatar under those articles. So what was withdrawn is a reservation, and Qatar accepted
    neither complaint procedure."""
    g = imported[2]["IV-9"]
    page = (HTML_DIR / _page_of("IV-9")).read_text(encoding="utf-8")
    under = page[page.find("dgDecUnderArticle") :]
    under = under[: under.find("dgNotesAll")] if "dgNotesAll" in under else under
    assert "dgDecUnderArticle" in page and "Qatar" not in under  # no declaration of Qatar under art. 21/22
    note = _end_notes_text(HTML_DIR / _page_of("IV-9"))
    m = re.search(rf"on ({_DATE}), the Government of the State of Qatar effected withdrawal[^:]*reservations", note)
    assert m, "the end note about Qatar's withdrawal"
    qat = iri.state("QAT")
    ws = [w for w in g.subjects(TKG.actor, qat) if (w, RDF.type, TKG.WithdrawalOfReservation) in g]
    assert [g.value(w, TKG.date).toPython() for w in ws] == [_d(m.group(1))]
    targets = list(g.objects(ws[0], TKG.withdraws))
    assert targets and all((t, RDF.type, TKG.Reservation) in g for t in targets)
    arts = {p for t in targets for p in g.objects(t, TKG.concernsProvision)}
    assert {iri.provision("untc-IV-9", "art-21"), iri.provision("untc-IV-9", "art-22")} <= arts
    qat_acts = set(g.subjects(TKG.actor, qat))
    assert not any(g.value(a, TKG.acceptsProcedure) for a in qat_acts)
    assert not any((a, RDF.type, TKG.Declaration) in g for a in qat_acts)


def test_withdrawals_in_end_notes_fixture(tmp_path):
    """tests/fixtures/untc/notes/cat_withdrawals.html (note 1 real, notes 2-4 invented, see README)."""
    page = FIXTURES / "notes" / "cat_withdrawals.html"
    report = untc_html.run([page], tmp_path)
    g = _named_graph(tmp_path / "IV-9.trig")
    key = "untc-IV-9"
    text = _end_notes_text(page)
    # several withdrawals in one sentence, "respectively": each takes effect on its own date
    expected = _respective_withdrawals(text)
    assert len(expected) == 3 and len({e for _, _, e in expected}) == 3
    got = _effective_by_date(g, key, "KOR", TKG.WithdrawalOfReservation)
    assert got == {d: e for _, d, e in expected}
    # one withdrawal, two effective dates: none recorded, and the report says why
    chl = _effective_by_date(g, key, "CHL", TKG.WithdrawalOfReservation)
    assert list(chl.values()) == [None]
    assert any(s.file == page.name and "end note 3" in s.element and "effective dates" in s.reason
               for s in report.skipped), [str(s) for s in report.skipped]
    # Qatar's reservation concerning articles 21 and 22 (opt-in): a reservation, no declaration accepting
    qat = [w for w in g.subjects(TKG.actor, iri.state("QAT")) if (w, RDF.type, TKG.WithdrawalOfReservation) in g]
    assert len(qat) == 1
    (target,) = g.objects(qat[0], TKG.withdraws)
    assert (target, RDF.type, TKG.Reservation) in g
    assert g.value(target, TKG.acceptsProcedure) is None and g.value(target, TKG.excludesProcedure) is None
    assert {iri.provision(key, "art-21"), iri.provision(key, "art-22")} <= set(g.objects(target, TKG.concernsProvision))
    assert all(g.value(a, TKG.actor) != iri.state("QAT") for a in g.subjects(TKG.acceptsProcedure, None))
    # the withdrawal of a declaration under article 22 (opt-in) still withdraws the accepting declaration
    che = [w for w in g.subjects(TKG.actor, iri.state("CHE")) if (w, RDF.type, TKG.WithdrawalOfDeclaration) in g]
    assert len(che) == 1
    (decl,) = g.objects(che[0], TKG.withdraws)
    assert (decl, RDF.type, TKG.Declaration) in g
    assert (decl, TKG.acceptsProcedure, iri.procedure(key, "individual-complaints")) in g


# ------------------------------------------------------------------------------------------------
# reproducibility
# ------------------------------------------------------------------------------------------------
@needs_pages
def test_importing_twice_gives_isomorphic_graphs(imported, tmp_path):
    _, out, _ = imported
    pages = [HTML_DIR / _page_of("IV-9-b"), HTML_DIR / _page_of("IV-5")]
    a = untc_html.run(pages, tmp_path / "a")
    b = untc_html.run(list(reversed(pages)), tmp_path / "b")
    assert [p.name for p in sorted(a.written)] == [p.name for p in sorted(b.written)] == ["IV-5.trig", "IV-9-b.trig"]
    for name in ("IV-5.trig", "IV-9-b.trig"):
        ga, gb, gfull = (_named_graph(d / name) for d in (tmp_path / "a", tmp_path / "b", out))
        assert isomorphic(ga, gb), name
        assert isomorphic(ga, gfull), f"{name}: a page's graph must not depend on the other pages imported with it"


# ------------------------------------------------------------------------------------------------
# bad input (tests/fixtures/untc: an excerpt of the ICCPR-OP1 page with invented defects, the
# same excerpt cut in the middle of its participants table, and the excerpt without the table)
# ------------------------------------------------------------------------------------------------
def test_bad_input_is_skipped_with_file_and_element_and_the_rest_is_kept(tmp_path):
    report = untc_html.run([FIXTURES], tmp_path)  # a folder: every .html in it
    skips = [str(s) for s in report.skipped]

    def skipped(*words):
        return [s for s in skips if all(w in s for w in words)]

    assert skipped("truncated.html", "page", "truncated")
    assert skipped("no_table.html", "page", "no participants table")
    assert skipped("iccpr_op1_excerpt.html", "participants table row", "Freedonia", "not resolved")
    assert skipped("iccpr_op1_excerpt.html", "participants table row", "Norway", "unparseable date", "13 Smarch 1972")
    assert skipped("iccpr_op1_excerpt.html", "Iceland", "footnote reference 77 points to no end note")
    assert report.usable
    assert [p.name for p in report.written] == ["IV-5.trig"]
    assert not (tmp_path / "truncated.trig").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["IV-5.trig"]  # no temporary file left behind

    g = _named_graph(tmp_path / "IV-5.trig")
    key = "untc-IV-5"
    # the rows around the bad cells are kept: Norway's good signature, Iceland's accession
    assert (iri.act(key, "NOR", "signature", "1969-06-25"), RDF.type, TKG.Signature) in g
    assert (iri.act(key, "ISL", "accession", "1979-08-22"), RDF.type, TKG.Accession) in g
    assert not any("Freedonia" in str(o) for o in g.objects())
    # and the end notes of the excerpt still give Belarus's denunciation
    blr = iri.act(key, "BLR", "denunciation", "2022-11-08")
    assert g.value(blr, TKG.effectiveDate).toPython() == dt.date(2023, 2, 8)


def test_only_bad_pages_is_not_usable(tmp_path):
    report = untc_html.run(
        [FIXTURES / "truncated.html", FIXTURES / "no_table.html", tmp_path / "missing.html"], tmp_path / "out"
    )
    assert not report.usable
    assert len(report.skipped) == 3
    assert any("missing.html" in str(s) and "no such file" in str(s) for s in report.skipped)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_folder_without_pages_is_reported_with_the_folder_that_has_them(tmp_path):
    """Naming the parent of the pages' folder imports nothing, and says where the pages are."""
    (tmp_path / "data" / "html").mkdir(parents=True)
    (tmp_path / "data" / "html" / "cat.html").write_bytes((FIXTURES / "iccpr_op1_excerpt.html").read_bytes())
    report = untc_html.run([tmp_path / "data"], tmp_path / "out")
    assert not report.usable
    [skip] = report.skipped
    assert skip.file == str(tmp_path / "data") and skip.element == "folder"
    assert "html/cat.html" in skip.reason


def test_a_file_that_is_not_a_status_page(tmp_path):
    bad = tmp_path / "notes.html"
    bad.write_text("<html><body><p>Nothing here</p></body></html>", encoding="utf-8")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    report = untc_html.run([bad, empty], tmp_path / "out")
    assert not report.usable
    assert {s.file for s in report.skipped} == {"notes.html", "empty.html"}


# ------------------------------------------------------------------------------------------------
# the parsing helpers
# ------------------------------------------------------------------------------------------------
def test_dates():
    assert untc_html.parse_date("4 Oct\t 2007") == dt.date(2007, 10, 4)
    assert untc_html.parse_date("03-02-2026") == dt.date(2026, 2, 3)
    assert untc_html.parse_date("14 July1994") == dt.date(1994, 7, 14)
    assert untc_html.parse_date("8 August l989") == dt.date(1989, 8, 8)
    for bad in ("31 Feb 2001", "13 Smarch 1972", "sometime in 1990", ""):
        with pytest.raises(untc_html.DateError):
            untc_html.parse_date(bad)
    assert untc_html.parse_date_list("8 March 1989, 19 and 20 April 1989") == [
        dt.date(1989, 3, 8),
        dt.date(1989, 4, 19),
        dt.date(1989, 4, 20),
    ]
    assert untc_html.parse_date_list("1 October 1991, 3 October 2001, and 12 September 2003") == [
        dt.date(1991, 10, 1),
        dt.date(2001, 10, 3),
        dt.date(2003, 9, 12),
    ]


def test_column_headers():
    assert untc_html.column_map("Ratification, Accession(a), Succession(d)") == (
        "Ratification",
        {"a": ("Accession", "accession"), "d": ("Succession", "succession")},
    )
    default, by_suffix = untc_html.column_map("Signature, Succession to signature(d)")
    assert default == "Signature" and by_suffix["d"][0] == "Signature"
    default, by_suffix = untc_html.column_map("Formal confirmation(c), Accession(a), Ratification")
    assert default == "Ratification" and by_suffix["c"][0] == "Ratification"
    assert untc_html.column_map("Definitive signature(s), Acceptance(A), Approval(AA)")[1] == {
        "s": ("DefinitiveSignature", "definitive signature"),
        "A": ("Acceptance", "acceptance"),
        "AA": ("Approval", "approval"),
    }


def test_articles():
    cat = untc_html.Instrument(
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment", "Convention"
    )
    keys = lambda t: [a.key() for a in untc_html.find_articles(t, cat)]  # noqa: E731
    assert keys("does not consider itself bound by paragraph 1 of article 30 of the Convention") == ["30-1"]
    assert keys("reservations to articles 20 (1), 20 (2) and 21 (a)") == ["20-1", "20-2", "21"]
    assert keys("Article 30, paragraph 1") == ["30-1"]
    assert keys("article 19 (c) of the Vienna Convention on the Law of Treaties") == []
    assert keys("pursuant to article 22 of the Convention against Torture and Other Cruel") == ["22"]
    assert keys("Article 21 of the 1984 Convention against Torture") == ["21"]
    assert keys("in respect of article XXII") == ["22"]
