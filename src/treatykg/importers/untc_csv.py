"""Import the 2015 scrape of the UN Treaty Collection status tables (``zmjones/untreaties``).

Input: the folder (``index.csv``, ``treaties/*.csv``, ``declarations/*.txt``) or any of its
files; ``index.csv`` is looked up beside ``treaties/`` when not given. Output: one TriG file
per treaty, ``<out_dir>/<MTDSG no>.trig``, holding one named graph
``graph/untc-2015/<MTDSG no>/2015-03-14`` with its ``tkg:SourceRecord``
``id/source/untc-2015/<MTDSG no>/2015-03-14`` (the UNTC status page the table was scraped
from), the treaty, every act read from the table and the participating States.

**Treaty keys.** A file is named after the MTDSG number (``4-9.csv`` = IV-9, ``12-1.a.csv`` =
XII-1-a): chapter number, then the treaty number with ``.`` or ``-`` before a sub-number. The
file is matched to its ``index.csv`` row by chapter and treaty number, and the MTDSG number is
taken from that row's URL (``mtdsg_no=``), which also holds sub-chapter letters that the file
name drops (``11-10.csv`` is XI-A-10). The key is ``iri.treaty_key_untc(MTDSG no)``; a number
that function does not accept (``III-2-1``, ``XI-A-10``) skips the file with that reason. The
treaty node gets ``tkg:shortId`` (the MTDSG number), ``dct:title`` and, from the tail of
``treaty_name`` (``"... . New York, 10 December 1984"``), ``tkg:adoptedAt`` and
``tkg:adoptedOn`` (left out when the tail names more than one date).

**Adoption of an amended text.** For a text "as amended by" a later instrument UNTC prints,
after the title, the place and date of the amended text, which may be that of the amending
instrument or the day the amended text took effect (VI-18, the Single Convention as amended by
the 1972 Protocol: "New York, 8 August 1975", the Protocol's entry into force). Such a tail is
read as the adoption only when no signature or consent of the table is dated before it;
otherwise ``tkg:adoptedOn`` and ``tkg:adoptedAt`` are left out (adoption unknown) with a skip
record naming the index entry. A plain title's date is always the adoption: a signature or
consent the table dates before it is kept as the table gives it and counted in the report.

**Columns and cells.** Column 1 is ``Participant``. Every other header lists alternatives
separated by ``", "`` before a capital letter, each with an optional cell code in parentheses
(``"Ratification, Accession(a), Succession(d)"``). A cell is ``D Mon YYYY`` plus an optional
code; the code picks the alternative with that code, no code picks the alternative without
one. The alternative's leading words give the class:

=================================================  ====================================
alternative (leading words)                        class / treatment
=================================================  ====================================
Signature, Signature ad referendum,                tkg:Signature (succession to
Succession to signature                            signature makes a signatory)
Definitive signature                               tkg:DefinitiveSignature
Ratification                                       tkg:Ratification
Accession                                          tkg:Accession
Succession                                         tkg:Succession
Acceptance, Definitive acceptance                  tkg:Acceptance
Approval                                           tkg:Approval
Formal confirmation (c), Consent to be bound (P),  tkg:ConsentToBeBound (no subclass
Participation (P), Simplified procedure (p),       fits; all are consent to be bound)
"Definitive signature or acceptance/participation"
Notification under article N                       tkg:Declaration, tkg:concernsProvision
                                                   art-N, IRI qualifier art-N
anything "provisional" (code n; Provisional        skipped: provisional application is
application/acceptance, Undertaking of             not consent to be bound and the
provisional application, Notification of           ontology has no class for it
non-provisional application)
Confirmation of signature (ad referendum) (C)      skipped: its effect depends on the
                                                   signature it confirms
Application (chapter III annexes)                  skipped: application of a convention
                                                   to an agency, not a participation act
Resolution, Date of Adoption, Registration ...,    skipped: UN admission metadata, not
UNTS Volume/Page (I-2)                             acts
=================================================  ====================================

A code the header does not declare is read by UNTC's general codes (a accession, d
succession, A acceptance, AA approval, c formal confirmation, s definitive signature,
P/p consent to be bound, n/C skipped as above). Where several uncoded alternatives could
apply and all are consents to be bound, the act is a plain ``tkg:ConsentToBeBound``;
otherwise the cell is skipped as ambiguous. The scrape shows no denunciations or withdrawals
(see SOURCE.md), so none are written; the 2026 snapshot (``graph/untc/``) has them, and
where both snapshots give the same act on the same day the IRIs coincide.

**Declarations.** ``declarations/<file>.txt`` holds one block per participant (``#Name``).
Only the fact that the participant made reservations and/or declarations is recorded, never
the text: one ``tkg:Declaration`` per participant and treaty, ``.../declaration/undated``,
``tkg:datePrecision`` unknown (the scrape does not separate out the dates; reservations are
statements too, so the superclass-like ``tkg:Declaration`` is used rather than guessing
``tkg:Reservation``). A block without text (UNTC shows only an end-note mark there, typically
for a withdrawn reservation) is skipped with that reason.

**Skips.** Unresolved participant names, empty or unparseable cells, cells with several
dates, impossible dates, rows cut by truncation and files that cannot be keyed are skipped,
each with the file, the element (participant and column) and the reason; nothing is dropped
silently. A treaty whose table and declarations could not be read at all gets no graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from treatykg import iri, names
from treatykg.errors import InputError
from treatykg.importers._tabular import (
    Doc,
    GraphBuffer,
    PartialDate,
    Skips,
    add_act,
    date_literal,
    participant_node,
    read_csv,
)
from treatykg.importers.base import TKG, ImportReport, add_source_record

_UNCONFIRMED = iri.vocab("confidence", "unconfirmed")

SOURCE = "untc-csv"
# The scrape carries no "status as at" stamp. Its content speaks for the day of the scraping
# commit, zmjones/untreaties 003ce13 of 2015-03-14 (see untc-2015/SOURCE.md).
STATUS_AS_OF = "2015-03-14"
PUBLISHER = "United Nations Treaty Collection (MTDSG status pages; scraped by zmjones/untreaties)"

REASONS = {
    "unresolved-name": "participant name does not resolve to a State or organisation",
    "empty-participant": "row has no participant name",
    "no-dates": "row lists the participant without any date",
    "unparseable-cell": "cell is not a date of the form 'D Mon YYYY' with an optional code",
    "several-dates": "cell holds more than one date",
    "impossible-date": "cell holds a date that does not exist",
    "provisional": "provisional application is not consent to be bound; the ontology has no class for it",
    "confirmation-of-signature": "confirmation of a signature ad referendum: its effect depends on the signature confirmed",
    "agency-application": "application of the convention to a specialized agency is not a participation act",
    "not-an-act": "column holds UN admission or registration data, not an act",
    "ambiguous": "cell code does not tell which of the column's alternatives applies",
    "unknown-column": "column header names no act this importer knows",
    "row-length": "row has a different number of cells from the header",
    "truncated": "file does not end with a newline, so its last row may be cut",
    "malformed-csv": "file is malformed or ends inside a quoted field; the rest of the file is unread",
    "empty-file": "file is empty or has no header",
    "bad-header": "first column is not 'Participant'",
    "not-utf8": "file is not UTF-8 text",
    "no-index-entry": "index.csv has no entry for this file, so its MTDSG number and title are unknown",
    "key-rejected": "iri.treaty_key_untc does not accept this MTDSG number",
    "no-status-table": "index entry has no status table (treaties/*.csv) in the scrape",
    "bad-index-row": "index.csv row lacks its chapter, treaty number or URL",
    "amended-text-date": "the place and date after the title are those of a text as amended, and signatures or "
                         "consents of the table precede the date, so it is not the adoption: adoptedOn/adoptedAt left out",
    "empty-block": "declarations block has no text (UNTC shows only an end-note mark for this participant)",
    "text-before-block": "text before the first '#Participant' line",
    "unknown-file": "not index.csv, treaties/*.csv or declarations/*.txt",
}

_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_CELL = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})(?:\s*([A-Za-z]{1,2}))?")
_DATE_LIKE = re.compile(r"\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}")
_TITLE_TAIL = re.compile(r"^(?P<title>.+?)\.\s+(?P<rest>[^.]*\d{1,2} [A-Z][a-z]+ \d{4})\s*$", re.S)
_LONG_DATE = re.compile(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})")
_AMENDED_BY = re.compile(r"\bamended by\b", re.I)
_NON_ACT = {"resolution", "date of adoption", "registration date", "registration number", "unts volume", "unts page"}

# UNTC's general cell codes, used when a header does not declare the code it meets
_GENERAL_CODES: dict[str, tuple[URIRef | None, str | None]] = {
    "a": (TKG.Accession, None),
    "d": (TKG.Succession, None),
    "A": (TKG.Acceptance, None),
    "AA": (TKG.Approval, None),
    "c": (TKG.ConsentToBeBound, None),
    "s": (TKG.DefinitiveSignature, None),
    "P": (TKG.ConsentToBeBound, None),
    "p": (TKG.ConsentToBeBound, None),
    "n": (None, "provisional"),
    "C": (None, "confirmation-of-signature"),
}
_CONSENT = {TKG.Ratification, TKG.Accession, TKG.Succession, TKG.Acceptance, TKG.Approval,
            TKG.DefinitiveSignature, TKG.ConsentToBeBound}


# ----------------------------------------------------------------------------------------
# headers


@dataclass(frozen=True)
class Alternative:
    text: str
    code: str | None
    cls: URIRef | None = None
    skip: str | None = None  # reason key when cells of this alternative are not imported
    provision: str | None = None  # "article 25" for a notification under an article

    @property
    def qualifier(self) -> str | None:
        return provision_slug(self.provision) if self.provision else None


def provision_slug(article: str) -> str:
    return iri.provision("x", article).rsplit("/", 1)[-1]


def classify(text: str, code: str | None) -> Alternative:
    """The act class (or skip reason) of one header alternative."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    if "provisional" in t:
        return Alternative(text, code, skip="provisional")
    if t.startswith("confirmation of signature"):
        return Alternative(text, code, skip="confirmation-of-signature")
    if t in _NON_ACT:
        return Alternative(text, code, skip="not-an-act")
    if t == "application":
        return Alternative(text, code, skip="agency-application")
    m = re.match(r"notification under (article .+)$", t)
    if m:
        return Alternative(text, code, TKG.Declaration, provision=m.group(1))
    if t.startswith("definitive signature"):
        cls = TKG.ConsentToBeBound if " or " in t else TKG.DefinitiveSignature
        return Alternative(text, code, cls)
    if t.startswith("definitive acceptance"):
        return Alternative(text, code, TKG.Acceptance)
    table = [
        (("signature", "succession to signature"), TKG.Signature),
        (("ratification",), TKG.Ratification),
        (("accession", "adhesion", "adherence"), TKG.Accession),
        (("succession",), TKG.Succession),
        (("acceptance",), TKG.Acceptance),
        (("approval",), TKG.Approval),
        (("formal confirmation", "consent to be bound", "participation", "simplified procedure"), TKG.ConsentToBeBound),
    ]
    for prefixes, cls in table:
        if t.startswith(prefixes):
            return Alternative(text, code, cls)
    if code in _GENERAL_CODES:
        cls, skip = _GENERAL_CODES[code]
        return Alternative(text, code, cls, skip)
    return Alternative(text, code, skip="unknown-column")


def parse_header(header: str) -> list[Alternative]:
    out = []
    for part in re.split(r",\s+(?=[A-Z])", header.strip()):
        m = re.fullmatch(r"(.*?)\s*\(([A-Za-z]{1,2})\)\s*", part, re.S)
        text, code = (m.group(1), m.group(2)) if m else (part, None)
        out.append(classify(text, code))
    return out


def _combine(alts: list[Alternative]) -> Alternative | str:
    """One alternative for a cell, or the reason key for not importing it."""
    if len(alts) == 1:
        return alts[0]
    if all(a.skip for a in alts):
        return alts[0]
    if any(a.skip for a in alts):
        return "ambiguous"
    classes = {a.cls for a in alts}
    provisions = {a.provision for a in alts}
    if len(classes) == 1 and len(provisions) == 1:
        return alts[0]
    if classes <= _CONSENT:
        return Alternative(" / ".join(a.text for a in alts), alts[0].code, TKG.ConsentToBeBound)
    return "ambiguous"


def select(alternatives: list[Alternative], code: str | None) -> Alternative | str:
    """The alternative a cell with ``code`` (None: no code) stands for, or a reason key."""
    if code:
        hits = [a for a in alternatives if a.code == code]
        if hits:
            return _combine(hits)
        cls, skip = _GENERAL_CODES.get(code, (None, "unparseable-cell"))
        return Alternative(f"UNTC code {code}", code, cls, skip)
    hits = [a for a in alternatives if a.code is None]
    if hits:
        return _combine(hits)
    if len(alternatives) == 1:
        return alternatives[0]
    return "ambiguous"


# ----------------------------------------------------------------------------------------
# cells, titles, file names


def parse_cell(cell: str) -> tuple[PartialDate, str | None] | str:
    """(date, code) from ``"3 Mar 1987"`` / ``"1 Oct 1991 a"``, or a reason key."""
    text = cell.strip()
    if len(_DATE_LIKE.findall(text)) > 1:
        return "several-dates"
    m = _CELL.fullmatch(text)
    if not m:
        return "unparseable-cell"
    day, mon, year, code = m.groups()
    month = _MONTHS.get(mon[:3].lower())
    if month is None:
        return "unparseable-cell"
    try:
        return PartialDate("day", int(year), month, int(day)), code
    except ValueError:
        return "impossible-date"


def amended_text(title: str) -> bool:
    """The title names a text as amended by a later instrument ("Single Convention on Narcotic
    Drugs, 1961, as amended by the Protocol ..."), whose printed date may not be an adoption."""
    return bool(_AMENDED_BY.search(title))


def parse_treaty_name(name: str) -> tuple[str, str | None, PartialDate | None]:
    """(title, place, adoption date) from ``"Title. Place, 10 December 1984"``."""
    name = re.sub(r"\s+", " ", name.strip())
    m = _TITLE_TAIL.match(name)
    if not m:
        return name, None, None
    title, rest = m.group("title").strip(), m.group("rest").strip()
    dates = list(_LONG_DATE.finditer(rest))
    if len(dates) != 1:
        return title, None, None
    d = dates[0]
    month = _MONTHS.get(d.group(2)[:3].lower())
    try:
        when = PartialDate("day", int(d.group(3)), month, int(d.group(1))) if month else None
    except ValueError:
        when = None
    place = rest[: d.start()].strip().rstrip(",").strip() or None
    return title, place, when


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = ""
    for v, s in _ROMAN:
        while n >= v:
            out += s
            n -= v
    return out


def file_key(stem: str) -> tuple[int, str] | None:
    """``"12-1.a"`` -> (12, ``"1-a"``): chapter and treaty number as in index.csv."""
    m = re.fullmatch(r"(\d+)[-.](.+)", stem)
    if not m:
        return None
    return int(m.group(1)), m.group(2).replace(".", "-").lower()


# ----------------------------------------------------------------------------------------
# the import


@dataclass
class IndexEntry:
    chapter: int
    number: str
    mtdsg: str
    name: str
    url: str


@dataclass
class TreatyDoc:
    entry: IndexEntry
    key: str
    table: Path | None = None
    declarations: Path | None = None


def _collect(paths: list[Path], skips: Skips) -> tuple[Path | None, list[Path], list[Path], bool]:
    """index.csv, the tables, the declarations files, and whether a whole scrape folder was given."""
    index = None
    whole = False
    tables: list[Path] = []
    decls: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            if (p / "index.csv").is_file():
                index = p / "index.csv"
            if p.name == "treaties":
                tables += sorted(p.glob("*.csv"))
            elif p.name == "declarations":
                decls += sorted(p.glob("*.txt"))
            else:
                whole = whole or (p / "treaties").is_dir()
                tables += sorted((p / "treaties").glob("*.csv"))
                decls += sorted((p / "declarations").glob("*.txt"))
        elif p.is_file():
            if p.name == "index.csv":
                index = p
            elif p.parent.name == "treaties" and p.suffix == ".csv":
                tables.append(p)
            elif p.parent.name == "declarations" and p.suffix == ".txt":
                decls.append(p)
            else:
                skips.add(p, "whole file", "unknown-file")
        else:
            raise InputError(f"{p}: no such file or folder")
    if index is None:
        for f in tables + decls:
            cand = f.parent.parent / "index.csv"
            if cand.is_file():
                index = cand
                break
    return index, sorted(set(tables)), sorted(set(decls)), whole


def _read_index(path: Path, skips: Skips) -> dict[tuple[int, str], IndexEntry]:
    try:
        data = read_csv(path)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if data.error:
        skips.add(path.name, "rest of file", "malformed-csv", data.error)
    cols = {h.strip(): i for i, h in enumerate(data.header)}
    need = ("chapter_no", "treaty_no", "treaty_name", "url")
    if any(c not in cols for c in need):
        raise InputError(f"{path}: index.csv needs the columns {', '.join(need)}")
    rows = data.rows[:-1] if data.last_row_cut else data.rows
    if data.last_row_cut:
        skips.add(path.name, f"last row ({', '.join(data.rows[-1][:2])})", "truncated")
    out: dict[tuple[int, str], IndexEntry] = {}
    for row in rows:
        get = lambda c: row[cols[c]].strip() if cols[c] < len(row) else ""  # noqa: E731
        ch, no, url = get("chapter_no"), get("treaty_no"), get("url")
        if not (ch.isdigit() and no and url):
            skips.add(path.name, f"row for treaty {ch or '?'}.{no or '?'}", "bad-index-row")
            continue
        q = parse_qs(urlsplit(url).query)
        mtdsg = (q.get("mtdsg_no") or [f"{roman(int(ch))}-{no.replace('.', '-')}"])[0]
        k = (int(ch), no.replace(".", "-").lower())
        out[k] = IndexEntry(int(ch), no, mtdsg, get("treaty_name"), url)
    return out


def run(paths: list[Path], out_dir: Path) -> ImportReport:
    report = ImportReport(SOURCE)
    skips = Skips(report, REASONS)
    index_path, tables, decls, whole = _collect([Path(p) for p in paths], skips)
    if index_path is None:
        raise InputError("untc-csv: index.csv is needed (it maps file names to MTDSG numbers and titles); "
                         "give the scrape's folder or put index.csv beside treaties/")
    index = _read_index(index_path, skips)

    docs: dict[str, TreatyDoc] = {}  # by MTDSG number
    for kind, files in (("table", tables), ("declarations", decls)):
        for f in files:
            rel = f"{f.parent.name}/{f.name}"
            fk = file_key(f.stem)
            entry = index.get(fk) if fk else None
            if entry is None:
                skips.add(rel, "whole file", "no-index-entry")
                continue
            try:
                key = iri.treaty_key_untc(entry.mtdsg)
            except ValueError:
                skips.add(rel, "whole file", "key-rejected", entry.mtdsg)
                continue
            doc = docs.setdefault(entry.mtdsg, TreatyDoc(entry, key))
            if kind == "table":
                doc.table = f
            else:
                doc.declarations = f
    if whole:  # the whole scrape was given: say which index entries have no table
        have = {file_key(f.stem) for f in tables} | {file_key(f.stem) for f in decls}
        for k, e in sorted(index.items()):
            if k not in have:
                skips.add(index_path.name, f"entry {e.mtdsg}", "no-status-table")

    out_dir = Path(out_dir)
    states: set[str] = set()
    unresolved: set[str] = set()
    for mtdsg in sorted(docs, key=_mtdsg_sort):
        doc = docs[mtdsg]
        out = Doc()
        graph_key = f"untc-2015/{mtdsg}/{STATUS_AS_OF}"
        g = out.graph(iri.named_graph(graph_key))
        record = iri.source(graph_key)
        treaty = iri.treaty(doc.key)
        title, place, adopted = _treaty_node(g, doc, treaty, record, index_path.name)
        add_source_record(
            g, record,
            url=doc.entry.url,
            title=f"{title}: status of the treaty (UN Treaty Collection, MTDSG {mtdsg}), as scraped on {STATUS_AS_OF}",
            publisher=PUBLISHER,
            status_as_of=STATUS_AS_OF,
            about=[treaty],
        )
        usable = False
        days: list = []  # (latest possible day, node) of every signature and consent in the table
        if doc.table is not None:
            usable |= _import_table(g, doc, record, skips, report, states, unresolved, days)
        if doc.declarations is not None:
            usable |= _import_declarations(g, doc, record, skips, report, states, unresolved)
        if not usable:  # nothing could be read for this treaty: write no graph
            continue
        _adoption(g, doc, treaty, title, place, adopted, days, skips, report, index_path.name)
        report.count("treaties")
        report.written.append(out.write(out_dir / f"{mtdsg}.trig"))
    report.count("states", len(states))
    report.count("unresolved names", len(unresolved))
    return report


def _mtdsg_sort(m: str):
    # (0, n) for numbers and (1, text) for the rest, so mixed keys (XI-A-5, XI-5) compare
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[-.]", m)]


def _treaty_node(
    g: GraphBuffer, doc: TreatyDoc, treaty: URIRef, record: URIRef, index_name: str
) -> tuple[str, str | None, PartialDate | None]:
    """The treaty node without its adoption facts: (title, place, date) printed after the title."""
    title, place, adopted = parse_treaty_name(doc.entry.name)
    g.add((treaty, RDF.type, TKG.Treaty))
    g.add((treaty, TKG.shortId, Literal(doc.entry.mtdsg)))
    if title:
        g.add((treaty, DCTERMS.title, Literal(title, lang="en")))
    g.add((treaty, PROV.wasDerivedFrom, record))
    g.add((treaty, TKG.sourceLocator, Literal(f"{index_name} entry {doc.entry.mtdsg}")))
    return title or doc.entry.mtdsg, place, adopted


def _adoption(g, doc: TreatyDoc, treaty: URIRef, title: str, place, adopted, days: list, skips: Skips,
              report: ImportReport, index_name: str) -> None:
    """tkg:adoptedAt / tkg:adoptedOn from the place and date after the title, unless the title is
    a text as amended and the table has signatures or consents before that date (see above)."""
    before_acts = sorted((d, node) for d, node in days if adopted is not None and d < adopted.earliest)
    before = [d for d, _ in before_acts]
    if before and amended_text(title):
        skips.add(index_name, f"entry {doc.entry.mtdsg}", "amended-text-date",
                  f"{place + ', ' if place else ''}{adopted.key}; {len(before)} signature(s) or consent(s) "
                  f"dated before it, the first {before[0].isoformat()}")
        return
    if before:
        # the table contradicts the date it prints after the title and does not say which is
        # right: both stay as stated, the act's date is marked unconfirmed and the conflict named
        for d, node in before_acts:
            g.add((node, TKG.dateConfidence, _UNCONFIRMED))
            g.add((node, RDFS.comment, Literal(
                f"The table dates this act {d.isoformat()}, before the date printed after the treaty's title "
                f"({adopted.key}, {index_name} entry {doc.entry.mtdsg}). The source does not say which is right: "
                "both are kept as stated and the act's date is unconfirmed", lang="en")))
        report.count("signatures or consents dated before the adoption date (kept as the table gives them, date unconfirmed)",
                     len(before))
    if place:
        g.add((treaty, TKG.adoptedAt, Literal(place)))
    if adopted is not None:
        g.add((treaty, TKG.adoptedOn, date_literal(adopted.earliest)))


def _resolve(name: str, rel: str, element: str, skips: Skips, unresolved: set[str]):
    p = names.resolve(name)
    if p is None:
        skips.add(rel, element, "unresolved-name", repr(name))
        unresolved.add(name)
    return p


def _import_table(g, doc: TreatyDoc, record, skips: Skips, report: ImportReport, states, unresolved,
                  days: list | None = None) -> bool:
    """Import one status table; False when the file could not be read at all. The latest possible
    day of every signature and consent written is appended to ``days``."""
    f = doc.table
    rel = f"treaties/{f.name}"
    try:
        data = read_csv(f)
    except UnicodeDecodeError:
        skips.add(rel, "whole file", "not-utf8")
        return False
    if not data.header:
        skips.add(rel, "whole file", "empty-file")
        return False
    if data.header[0].strip() != "Participant":
        skips.add(rel, "whole file", "bad-header", repr(data.header[0]))
        return False
    if data.error:
        skips.add(rel, "rest of file", "malformed-csv", data.error)
    columns = [(h.strip(), parse_header(h)) for h in data.header[1:]]
    rows = data.rows
    if data.last_row_cut:
        skips.add(rel, f"row for {rows[-1][0].strip()}", "truncated")
        rows = rows[:-1]
    for row in rows:
        name = row[0].strip()
        if not name:
            skips.add(rel, "row without a participant", "empty-participant")
            continue
        element = f"row for {name}"
        if len(row) != len(data.header):
            skips.add(rel, element, "row-length", f"{len(row)} cells, header has {len(data.header)}")
            continue
        if not any(c.strip() for c in row[1:]):
            skips.add(rel, element, "no-dates")
            continue
        p = _resolve(name, rel, element, skips, unresolved)
        if p is None:
            continue
        actor = None
        for (header, alternatives), cell in zip(columns, row[1:]):
            if not cell.strip():
                continue
            cell_element = f"{element}, column {header!r}"
            if all(a.skip for a in alternatives):  # the whole column is not imported
                skips.add(rel, cell_element, alternatives[0].skip, repr(cell.strip()))
                continue
            parsed = parse_cell(cell)
            if isinstance(parsed, str):
                skips.add(rel, cell_element, parsed, repr(cell.strip()))
                continue
            when, code = parsed
            alt = select(alternatives, code)
            if isinstance(alt, str):
                skips.add(rel, cell_element, alt, repr(cell.strip()))
                continue
            if alt.skip:
                skips.add(rel, cell_element, alt.skip, repr(cell.strip()))
                continue
            if actor is None:
                actor = participant_node(g, p, name)
                if p.kind == "state":
                    states.add(p.code)
            node = add_act(
                g, treaty_key=doc.key, actor=actor, actor_code=p.code, cls=alt.cls, when=when,
                record=record, locator=f"{rel} row for {name}, column {header!r}", qualifier=alt.qualifier,
            )
            if alt.provision:
                prov_node = iri.provision(doc.key, alt.provision)
                g.add((prov_node, RDF.type, TKG.Provision))
                g.add((prov_node, TKG.provisionOf, iri.treaty(doc.key)))
                g.add((node, TKG.concernsProvision, prov_node))
            if days is not None and (alt.cls == TKG.Signature or alt.cls in _CONSENT):
                days.append((when.latest, node))
            report.count(f"acts: {str(alt.cls).rsplit('#', 1)[-1]}")
            report.count("cells imported")
    return True


def _import_declarations(g, doc: TreatyDoc, record, skips: Skips, report: ImportReport, states, unresolved) -> bool:
    """Record who made reservations/declarations; False when the file could not be read."""
    f = doc.declarations
    rel = f"declarations/{f.name}"
    try:
        text = f.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        skips.add(rel, "whole file", "not-utf8")
        return False
    blocks: list[tuple[str, list[str]]] = []
    before: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            blocks.append((line[1:].strip(), []))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            before.append(line)
    if any(x.strip() for x in before):
        skips.add(rel, "start of file", "text-before-block")
    for name, lines in blocks:
        element = f"block for {name}"
        if not name:
            skips.add(rel, "block without a participant name", "empty-participant")
            continue
        if not any(x.strip() for x in lines):
            skips.add(rel, element, "empty-block")
            continue
        p = _resolve(name, rel, element, skips, unresolved)
        if p is None:
            continue
        actor = participant_node(g, p, name)
        if p.kind == "state":
            states.add(p.code)
        add_act(g, treaty_key=doc.key, actor=actor, actor_code=p.code, cls=TKG.Declaration,
                when=PartialDate.unknown(), record=record, locator=f"{rel} block for {name}")
        report.count("acts: Declaration (reservations and/or declarations made, undated)")
    return True


__all__ = ["run", "parse_header", "select", "parse_cell", "parse_treaty_name", "amended_text", "file_key", "REASONS"]
