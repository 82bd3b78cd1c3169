"""Importer for UN Treaty Collection (UNTC / MTDSG) treaty status pages (``ViewDetails.aspx``).

``run(paths, out_dir)`` reads saved status pages (files, or folders of ``*.html``) and writes one
TriG file per page, ``out_dir/<MTDSG no>.trig``, holding one named graph
``graph/untc/<MTDSG no>/<status as of>`` with

* the source record (page URL, title, publisher, ``STATUS AS AT`` date, printed counts);
* the treaty (title, short id, place and date of adoption, general entry into force, parent of an
  optional protocol, depositary);
* the participants (States, organisations) and every act the page records: signatures and
  consents from the participants table; reservations, declarations, objections, derogations and
  territorial applications from the sections below it; denunciations, re-accessions,
  withdrawals of reservations and declarations, predecessor States' acts and territorial
  notifications from the end notes. Texts of reservations and declarations are never stored.

Everything is read from the page *structure* (element ids of the ASP.NET page, the column headers
of the participants table, the date paragraphs of each entry) and from wording patterns that
the depositary uses on every page; nothing is special-cased per treaty or State. The one piece
of treaty knowledge is ``OPT_PROCEDURES``: which article of which treaty creates an opt-in or
opt-out oversight procedure.

A bad page (no participants table, truncated, not a status page) or a bad element (unknown
participant, unparseable date, footnote reference without a note) is listed in the report with
the file, the element and the reason; the rest of the page is imported.

Dating. A statement printed under a date paragraph gets that date; otherwise the section heading
says it was made upon ratification, accession or succession, and it gets the participant's
latest consent (or its signature, "upon signature"); the locator says which. A denunciation
whose effective date the notes do not give is bounded (``effectiveDateEarliest`` = notification;
``effectiveDateLatest`` = the status date when the page prints the participation in brackets,
i.e. as ended). No date is invented. Every effective date and bound is read from the page and
carries ``tkg:effectiveDateBasis`` published. When one sentence reports several acts with several
effective dates ("... article 23 (4) (with effect from 15 March 1991), of article 14 (7) (with
effect from 21 January 1993) ..."), the dates go to the acts in order; a count that does not
match the acts gives no effective date and a report line.

Not read (known limits): objections of other States quoted inside end notes; reservation texts
quoted in notes other than through the withdrawal that quotes them; sentences whose key word
is misspelt on the page ("Convenant"); whether a territorial application extends or excludes
(the locator says "territorial exclusion" where the note does).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import lxml.html
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from treatykg import iri, names
from treatykg.importers._tabular import Doc
from treatykg.importers.base import TKG, ImportReport, add_source_record, new_dataset

PUBLISHER = "United Nations Treaty Collection"
PAGE_URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={no}&chapter={chapter}&clang=_en"
DEPOSITARY = URIRef("https://w3id.org/treatykg/id/org/un")
PUBLISHED = iri.vocab("date-basis", "published")
PRECISION_UNKNOWN = iri.vocab("date-precision", "unknown")

# ---------------------------------------------------------------------------------------------
# Treaty knowledge: which article creates an opt-in / opt-out oversight procedure.
# (MTDSG no., article) -> (procedure kind, acceptance mode, article that creates the procedure).
# An article that is only the *acceptance provision* (CAT 28 for the inquiry of art. 20) points
# to the article creating the procedure. Recognising the article in the text of a declaration or
# reservation is the mechanism; this table only says which article means which procedure.
# ---------------------------------------------------------------------------------------------
OPT_PROCEDURES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("IV-2", "14"): ("individual-complaints", "opt-in", "14"),  # CERD
    ("IV-4", "41"): ("inter-state-complaints", "opt-in", "41"),  # ICCPR
    ("IV-9", "20"): ("inquiry", "opt-out", "20"),  # CAT
    ("IV-9", "28"): ("inquiry", "opt-out", "20"),
    ("IV-9", "21"): ("inter-state-complaints", "opt-in", "21"),
    ("IV-9", "22"): ("individual-complaints", "opt-in", "22"),
    ("IV-13", "76"): ("inter-state-complaints", "opt-in", "76"),  # CMW
    ("IV-13", "77"): ("individual-complaints", "opt-in", "77"),
    ("IV-16", "31"): ("individual-complaints", "opt-in", "31"),  # CED
    ("IV-16", "32"): ("inter-state-complaints", "opt-in", "32"),
    ("IV-3-a", "10"): ("inter-state-complaints", "opt-in", "10"),  # ICESCR-OP
    ("IV-3-a", "11"): ("inquiry", "opt-in", "11"),
    ("IV-8-b", "8"): ("inquiry", "opt-out", "8"),  # CEDAW-OP
    ("IV-8-b", "10"): ("inquiry", "opt-out", "8"),
    ("IV-15-a", "6"): ("inquiry", "opt-out", "6"),  # CRPD-OP
    ("IV-15-a", "8"): ("inquiry", "opt-out", "6"),
    ("IV-11-d", "12"): ("inter-state-complaints", "opt-in", "12"),  # CRC-OP-IC
    ("IV-11-d", "13"): ("inquiry", "opt-out", "13"),
}

# Wording that names a procedure when a declaration recognises a competence without citing the
# article (e.g. "communications in which one State Party alleges ... another State Party").
_PROCEDURE_PHRASES = {
    "inter-state-complaints": re.compile(
        r"State Party (?:claims|alleges)|one State Party|submitted by another State Party|another State Party is not",
        re.I,
    ),
    "individual-complaints": re.compile(
        r"(?:from|by) (?:or on behalf of )?(?:individuals|persons)|individuals or groups|sent by persons|"
        r"claim(?:ing)? to be victims",
        re.I,
    ),
    "inquiry": re.compile(r"\binquir", re.I),
}

# A State whose treaty status another State continues: acts the page attributes to the former
# State are acts of the continuing State "performed as" the former one.
CONTINUATIONS = {"SUN": "RUS", "SCG": "SRB"}

# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DATE_RE = re.compile(rf"\b(\d{{1,2}})\s+({MONTH})\s+(\d{{4}})\b", re.I)
# a list of dates sharing month/year: "8 March 1989, 19 and 20 April 1989", "12 April 1994 and 24 August 1998"
_DPART = rf"\d{{1,2}}(?:\s+{MONTH})?(?:\s+\d{{4}})?"
DATELIST_RE = re.compile(rf"\b{_DPART}(?:\s*(?:,\s*and|,|and|&)\s*{_DPART})*", re.I)


class DateError(ValueError):
    pass


def parse_date(text: str) -> dt.date:
    """``4 Oct 2007`` / ``10 December 1984`` / ``03-02-2026`` (DD-MM-YYYY) -> date; DateError otherwise.

    Tolerates the typing slips of the pages: a month name misspelt after its first three letters
    ("Decmeber", "Septembre"), a missing space before the year ("14 July1994") and the letter l
    for the digit 1 in a year ("l989")."""
    s = re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
    m = re.fullmatch(r"(\d{1,2}) ?([A-Za-z]{3,10})\.? ?([0-9lI]{4})", s)
    try:
        if m and m.group(2)[:3].lower() in _MONTHS:
            year = int(m.group(3).replace("l", "1").replace("I", "1"))
            return dt.date(year, _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
        m = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", s)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError as e:  # 31 Feb
        raise DateError(f"not a calendar date: {s!r}") from e
    raise DateError(f"not a date: {s!r}")


def find_date(text: str) -> dt.date:
    """The one date in a short text such as ``On 2 October 2015`` or ``9 December 1991*``."""
    ms = list(re.finditer(r"\b\d{1,2} ?[A-Za-z]{3,10}\.? ?[0-9lI]{4}\b", text))
    if len(ms) != 1:
        raise DateError(f"not a date: {text!r}")
    return parse_date(ms[0].group(0))


def parse_date_list(text: str) -> list[dt.date]:
    """Dates of a list such as ``19 and 20 April 1989`` (month/year shared backwards)."""
    parts = re.split(r"\s*(?:,\s*and|,|\band\b|&)\s*", text.strip())
    out: list[list] = []
    for p in parts:
        m = re.fullmatch(rf"(\d{{1,2}})(?:\s+({MONTH}))?(?:\s+(\d{{4}}))?", p.strip(), re.I)
        if not m:
            return []
        out.append([int(m.group(1)), m.group(2), int(m.group(3)) if m.group(3) else None])
    month, year = None, None
    for item in reversed(out):
        if item[1]:
            month = item[1]
        if item[2]:
            year = item[2]
        if item[1] is None:
            item[1] = month
        if item[2] is None:
            item[2] = year
    dates = []
    for d, mo, y in out:
        if mo is None or y is None:
            return []
        try:
            dates.append(dt.date(y, _MONTHS[mo[:3].lower()], d))
        except ValueError:
            return []
    return dates


# ---------------------------------------------------------------------------------------------
# Page model
# ---------------------------------------------------------------------------------------------
@dataclass
class Cell:
    column: str  # column header
    date: dt.date
    suffix: str
    bracketed: bool


@dataclass
class Row:
    index: int
    name: str  # UNTC spelling, footnote numbers removed
    notes: list[int]
    cells: list[Cell]


@dataclass
class Entry:
    """One participant's block in a section below the participants table."""

    section: str  # decl | objection | under-article | notification | derogation
    name: str
    notes: list[int]
    lines: list[tuple[str, str]]  # (kind, text) kind in date | head | text
    index: int


@dataclass
class Page:
    file: Path
    mtdsg: str
    chapter: str
    url: str
    title: str
    head_noun: str
    adopted_at: str | None
    adopted_on: dt.date | None
    eif: dt.date | None
    eif_article: str | None
    eif_text: str
    status_as_of: dt.date
    signatories: int | None
    parties: int | None
    columns: list[str]
    rows: list[Row]
    entries: list[Entry]
    section_heads: dict[str, str]
    territorial: list[tuple[int, str, list[int], str, str]]  # (row, name, notes, date text, territories)
    notes: dict[int, list[str]]  # note number -> lines
    header_notes: set[int]


_ID = "ctl00_ctl00_ContentPlaceHolder1_ContentPlaceHolderInnerPage_"


class _Ids:
    """Elements by the end of their id (the ASP.NET prefixes of the ids vary)."""

    def __init__(self, root):
        self.items = [(e.get("id"), e) for e in root.iter() if isinstance(e.tag, str) and e.get("id")]

    def __call__(self, suffix: str):
        for i, e in self.items:
            if i == suffix or i.endswith("_" + suffix):
                return e
        return None


def _sup_refs(el) -> list[int]:
    refs = []
    for sup in el.iter("sup", "SUP", "superscript"):
        for t in re.findall(r"\d+", sup.text_content()):
            refs.append(int(t))
    return refs


_BLOCK = {
    "p",
    "div",
    "center",
    "table",
    "tr",
    "td",
    "th",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
}
_ITALIC = {"i", "em", "b", "strong"}


def _lines(el) -> list[tuple[str, str]]:
    """The text of ``el`` as lines, footnote superscripts removed. A right-aligned paragraph is a
    ``date`` line; a line that is all italic or bold, or a short left-aligned paragraph, is a
    ``head`` line; anything else is ``text``."""
    out: list[tuple[str, str]] = []
    buf: list[tuple[str, bool]] = []

    def flush(kind: str | None = None) -> None:
        s = re.sub(r"\s+", " ", "".join(t for t, _ in buf).replace("\xa0", " ")).strip()
        if s:
            if kind is None:
                kind = "head" if all(it for t, it in buf if t.strip()) else "text"
            out.append((kind, s))
        buf.clear()

    def walk(e, italic: bool) -> None:
        tag = e.tag.lower() if isinstance(e.tag, str) else None
        if tag is None:  # comment or processing instruction
            pass
        elif tag in ("sup", "superscript", "script", "style"):
            pass
        elif tag == "p" and "invisible" in (e.get("class") or ""):
            pass
        elif tag == "p" and (e.get("align") or "").lower() == "right":
            flush()
            buf.append((e.text_content(), False))
            flush("date")
        elif tag in _BLOCK:
            flush()
            left = tag == "p" and (e.get("align") or "").lower() == "left"
            n0 = len(out)
            if e.text:
                buf.append((e.text, italic))
            for c in e:
                walk(c, italic)
            flush()
            if left:  # "Reservations:", "Article 21" headings
                for k in range(n0, len(out)):
                    if out[k][0] == "text" and len(out[k][1]) < 160:
                        out[k] = ("head", out[k][1])
        elif tag == "br":
            flush()
        else:
            it = italic or tag in _ITALIC
            if e.text:
                buf.append((e.text, it))
            for c in e:
                walk(c, it)
        if e.tail:
            buf.append((e.tail, italic))

    if el.text:
        buf.append((el.text, False))
    for c in el:
        walk(c, False)
    flush()
    return out


def _text(el) -> str:
    return " ".join(t for _, t in _lines(el)).strip()


def _strip_note_digits(name: str) -> str:
    return re.sub(r"(\s*\d+(\s*,\s*\d+)*)+\s*$", "", name).strip()


class PageError(Exception):
    """The file is not a usable UNTC status page (reason in the message)."""


def parse_page(path: Path, report: ImportReport) -> Page:
    raw = path.read_bytes()
    if not raw.strip():
        raise PageError("empty file")
    if b"</html>" not in raw[-4096:].lower():
        # a cut-off page would silently lose the rows, sections and end notes after the cut
        raise PageError("truncated: the file does not end with </html>")
    try:
        root = lxml.html.document_fromstring(raw)
    except (lxml.etree.ParserError, ValueError) as e:
        raise PageError(f"not parseable as HTML: {e}") from e

    by_id = _Ids(root)
    # identity: MTDSG number and chapter from the form action (canonical URL), else the header
    mtdsg = chapter = None
    for form in root.iter("form"):
        act = form.get("action") or ""
        m = re.search(r"mtdsg_no=([IVXLC]+-\d+(?:-[a-z]+)?)", act)
        if m:
            mtdsg = m.group(1)
            c = re.search(r"chapter=(\d+)", act)
            chapter = c.group(1) if c else None
    head = by_id("rptHead_ctl00_tcHead")
    tnode = by_id("rptTreaty_ctl00_tcTreaty")
    if tnode is None:
        raise PageError("no treaty title (element rptTreaty_ctl00_tcTreaty); not a UNTC status page or truncated")
    title_full = _text(tnode)
    m = re.match(r"^\s*(\d+)\s*\.\s*(?:([a-z])\s+)?(.+)$", title_full)
    if not m:
        raise PageError(f"treaty title without MTDSG number: {title_full[:80]!r}")
    title = m.group(3).strip()
    if mtdsg is None:
        hm = re.search(r"CHAPTER\s+([IVXLC]+)", _text(head) if head is not None else "")
        if not hm:
            raise PageError("no MTDSG number (form action or chapter heading)")
        mtdsg = f"{hm.group(1)}-{m.group(1)}" + (f"-{m.group(2)}" if m.group(2) else "")
    if chapter is None:
        chapter = str(_roman(mtdsg.split("-")[0]))
    hn = re.search(r"\b(Protocol|Covenant|Convention|Agreement|Statute|Charter|Treaty)\b", title)
    head_noun = hn.group(1) if hn else title.split()[0]

    # status stamp
    page_text = root.text_content()
    sm = re.search(r"STATUS AS AT\s*:\s*(\d{1,2}-\d{1,2}-\d{4})", page_text)
    if not sm:
        raise PageError("no 'STATUS AS AT : DD-MM-YYYY' stamp")
    status_as_of = parse_date(sm.group(1))

    header_notes: set[int] = set()
    # place and date of adoption
    adopted_at = adopted_on = None
    pnode = by_id("rptTreaty_ctl00_tcText")
    if pnode is not None:
        header_notes.update(_sup_refs(pnode))
        ptxt = _text(pnode)
        dm = DATE_RE.search(ptxt)
        if dm:
            adopted_on = _safe_date(dm.group(0), report, path, "place and date of adoption")
            adopted_at = ptxt[: dm.start()].strip(" ,") or None
    # entry into force
    eif = None
    eif_article = None
    eif_text = ""
    enode = by_id("rptEIF_ctl00_tcText")
    if enode is not None:
        header_notes.update(_sup_refs(enode))
        eif_text = _text(enode)
        dm = DATE_RE.search(eif_text)
        if dm and dm.start() < 5:
            eif = _safe_date(dm.group(0), report, path, "entry into force")
        am = re.search(r"in accordance with (?:its )?article\s+(\d+)\s*(?:\(\s*(\d+)\s*\))?", eif_text, re.I)
        if am:
            eif_article = am.group(1) + (f"({am.group(2)})" if am.group(2) else "")
    # counts
    signatories = parties = None
    snode = by_id("rptStatus_ctl00_tcText")
    if snode is not None:
        header_notes.update(_sup_refs(snode))
        stxt = _text(snode)
        mm = re.search(r"Signatories\s*:\s*(\d+)", stxt)
        signatories = int(mm.group(1)) if mm else None
        mm = re.search(r"Parties\s*:\s*(\d+)", stxt)
        parties = int(mm.group(1)) if mm else None

    # participants table
    table = by_id("tblgrid")
    if table is None:
        raise PageError("no participants table (element tblgrid)")
    trs = [tr for tr in table.iter("tr")]
    if not trs:
        raise PageError("participants table has no rows")
    header_cells = [c for c in trs[0] if isinstance(c.tag, str)]
    header_notes.update(_sup_refs(trs[0]))
    columns = [re.sub(r"\s+", " ", _text(c)).strip() for c in header_cells]
    columns = [_strip_note_digits(c) for c in columns]
    if not columns or not columns[0].lower().startswith("participant"):
        raise PageError(f"participants table header not recognised: {columns!r}")
    rows: list[Row] = []
    for i, tr in enumerate(trs[1:], start=1):
        tds = [c for c in tr if isinstance(c.tag, str)]
        if not tds:
            continue
        name = _strip_note_digits(_text(tds[0]))
        notes = _sup_refs(tds[0])
        if not name and rows:  # a continuation row of the participant above
            name = rows[-1].name
        if not name:
            report.skip(path.name, f"participants table row {i}", "empty participant name")
            continue
        cells: list[Cell] = []
        for j, td in enumerate(tds[1:], start=1):
            txt = re.sub(r"\s+", " ", td.text_content().replace("\xa0", " ")).strip()
            notes += _sup_refs(td)
            txt = re.sub(r"\s*\d+(\s*,\s*\d+)*\s*$", "", txt) if re.search(r"\d{4}\s+\D*\s*\d+$", txt) else txt
            if not txt:
                continue
            col = columns[j] if j < len(columns) else f"column {j + 1}"
            cm = re.fullmatch(rf"(\[)?\s*(\d{{1,2}}\s+{MONTH}\s+\d{{4}})\s*([A-Za-z]{{1,2}})?\s*(\])?", txt, re.I)
            if not cm:
                report.skip(
                    path.name, f"participants table row {i} ({name}), column {col!r}", f"unparseable date {txt!r}"
                )
                continue
            try:
                d = parse_date(cm.group(2))
            except DateError as e:
                report.skip(path.name, f"participants table row {i} ({name}), column {col!r}", str(e))
                continue
            cells.append(Cell(col, d, cm.group(3) or "", bool(cm.group(1) or cm.group(4))))
        rows.append(Row(i, name, notes, cells))

    # sections below the table
    section_heads: dict[str, str] = {}
    for key, sid in (
        ("decl", "divParentDecTitle"),
        ("objection", "divParentObjTitle"),
        ("under-article", "divParentDecArt"),
        ("notification", "divParentNotification"),
    ):
        e = by_id(sid)
        if e is not None:
            section_heads[key] = _text(e)
            header_notes.update(_sup_refs(e))
    entries: list[Entry] = []
    for key, gid in (
        ("decl", "dgDec"),
        ("objection", "dgObj"),
        ("under-article", "dgDecUnderArticle"),
        ("notification", "dgNotifications"),
    ):
        grid = by_id(gid)
        if grid is None:
            continue
        section = key
        if key == "notification" and re.search(r"derogat|article\s+4\b", section_heads.get(key, ""), re.I):
            section = "derogation"
        for k, tr in enumerate(grid.iter("tr")):
            pdiv = tdiv = None
            for d in tr.iter("div"):
                did = d.get("id") or ""
                if did.endswith("divParticipant"):
                    pdiv = d
                elif did.endswith(("divText", "divNotificationText")):
                    tdiv = d
            if pdiv is None:
                continue
            nm = _strip_note_digits(_text(pdiv))
            refs = _sup_refs(pdiv)
            lines = _lines(tdiv) if tdiv is not None else []
            if not nm and tdiv is not None:  # the name printed in bold at the top of the text
                first = next((c for c in tdiv if isinstance(c.tag, str) and c.tag.lower() in ("b", "strong")), None)
                if first is not None:
                    nm = _strip_note_digits(_text(first))
                    refs = _sup_refs(first)
                    lines = [ln for ln in lines if ln[1] != _text(first)]
            if not nm:
                report.skip(path.name, f"{gid} entry {k + 1}", "entry without participant name")
                continue
            entries.append(Entry(section, nm, refs, lines, k + 1))

    territorial = []
    tdec = by_id("tblDec")
    if tdec is not None:
        trs2 = list(tdec.iter("tr"))
        hdr = [_text(c).lower() for c in trs2[0]] if trs2 else []
        if len(hdr) >= 3 and "territor" in hdr[2]:
            for i, tr in enumerate(trs2[1:], start=1):
                tds = [c for c in tr if isinstance(c.tag, str)]
                if len(tds) < 3:
                    continue
                nm = _strip_note_digits(_text(tds[0])) or (territorial[-1][1] if territorial else "")
                territorial.append((i, nm, _sup_refs(tds[0]), _text(tds[1]), _text(tds[2])))

    notes: dict[int, list[str]] = {}
    ngrid = by_id("dgNotesAll")
    if ngrid is not None:
        for d in ngrid.iter("div"):
            if not (d.get("id") or "").endswith("divNotesAll"):
                continue
            anchor = next((a for a in d.iter("a") if a.get("name")), None)
            if anchor is None or not anchor.get("name", "").strip().isdigit():
                continue
            n = int(anchor.get("name").strip())
            anchor_text = anchor.text
            anchor.text = ""  # the note number itself is not text
            lines = [t for _, t in _lines(d)]
            anchor.text = anchor_text
            notes[n] = lines

    return Page(
        file=path,
        mtdsg=mtdsg,
        chapter=chapter,
        url=PAGE_URL.format(no=mtdsg, chapter=chapter),
        title=title,
        head_noun=head_noun,
        adopted_at=adopted_at,
        adopted_on=adopted_on,
        eif=eif,
        eif_article=eif_article,
        eif_text=eif_text,
        status_as_of=status_as_of,
        signatories=signatories,
        parties=parties,
        columns=columns,
        rows=rows,
        entries=entries,
        section_heads=section_heads,
        territorial=territorial,
        notes=notes,
        header_notes=header_notes,
    )


def _roman(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = vals[a]
        total += -v if b != " " and vals.get(b, 0) > v else v
    return total


def _safe_date(text: str, report: ImportReport, path: Path, element: str) -> dt.date | None:
    try:
        return parse_date(text)
    except DateError as e:
        report.skip(path.name, element, str(e))
        return None


# ---------------------------------------------------------------------------------------------
# Column headers -> act classes
# ---------------------------------------------------------------------------------------------
_ACT_NAMES = [  # (pattern on a header item, class local name, signature-like)
    (r"succession to signature", "Signature"),
    (r"definitive signature", "DefinitiveSignature"),
    (r"signature", "Signature"),
    (r"ratification", "Ratification"),
    (r"formal confirmation", "Ratification"),  # VCLT-IO art. 2(1)(b bis): an organisation's ratification
    (r"acceptance", "Acceptance"),
    (r"approval", "Approval"),
    (r"accession", "Accession"),
    (r"succession", "Succession"),
]
# the usual UNTC suffixes, for a cell whose suffix the header does not explain
_DEFAULT_SUFFIX = {
    "a": "Accession",
    "d": "Succession",
    "A": "Acceptance",
    "AA": "Approval",
    "s": "DefinitiveSignature",
    "c": "Ratification",
}
_SUFFIX_NOTE = {"c": "formal confirmation (recorded as ratification)"}


def column_map(header: str) -> tuple[str | None, dict[str, tuple[str, str]]]:
    """``'Ratification, Accession(a), Succession(d)'`` -> (default class, {suffix: (class, label)})."""
    default = None
    by_suffix: dict[str, tuple[str, str]] = {}
    for item in re.split(r",\s*", header):
        m = re.match(r"\s*(.*?)\s*(?:\(\s*([A-Za-z]{1,2})\s*\))?\s*$", item)
        label, suffix = m.group(1), m.group(2)
        cls = next((c for p, c in _ACT_NAMES if re.search(p, label, re.I)), None)
        if cls is None:
            continue
        if suffix:
            by_suffix[suffix] = (cls, label.lower())
        elif default is None:
            default = cls
    return default, by_suffix


def act_type(cls: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", cls).lower()


CONSENT = {"Ratification", "Acceptance", "Approval", "Accession", "Succession", "DefinitiveSignature"}

# ---------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------
_ART_HEAD = re.compile(r"\b(?:articles?|arts?\.)\s+", re.I)
_ART_ITEM = re.compile(
    r"(?P<num>\d+|[IVXL]+\b)(?:\s*\(\s*(?P<p1>\d+)\s*\))?(?:\s*,?\s*(?:paragraphs?|paras?\.?)\s+(?P<p2>\d+))?"
    r"(?:\s*\(\s*[a-z]{1,4}\s*\))*",
)
_ART_SEP = re.compile(r"\s*(?:,\s*and|,|\band\b|&|\bor\b|-|to)\s*(?:of\s+)?(?:articles?\s+)?", re.I)
_PARA_OF = re.compile(r"\b(?:sub-?)?paragraphs?\s+(\d+)\s*(?:\([a-z]\)\s*)?of\s+articles?\s+(\d+)", re.I)
_OWN_QUAL = {
    "said",
    "present",
    "above-mentioned",
    "abovementioned",
    "above",
    "mentioned",
    "this",
    "optional",
    "second",
    "the",
}


@dataclass(frozen=True, order=True)
class Art:
    number: str
    para: str | None = None

    def key(self) -> str:
        return self.number + (f"-{self.para}" if self.para else "")


def _roman_or_int(s: str) -> str | None:
    if s.isdigit():
        return str(int(s))
    if re.fullmatch(r"[IVXL]+", s):
        return str(_roman(s))
    return None


class Instrument:
    """Decides whether "of the X" after an article names the page's own treaty."""

    def __init__(self, title: str, head_noun: str):
        self.title = title
        self.head = head_noun
        words = title.split()
        idx = next((i for i, w in enumerate(words) if w.startswith(head_noun)), 0)
        self.before = {w.lower() for w in words[:idx]}
        self.after = [w.strip(",") for w in words[idx + 1 : idx + 5]]

    def is_own(self, phrase: str) -> bool:
        """``phrase`` is the text right after an article reference ("of the Convention ...")."""
        m = re.match(r"\s*,?\s*(?:of|to|under)\s+(?:the\s+|this\s+|its\s+)?([^.;:]*)", phrase)
        if not m:
            return True
        words = [w.strip('(),“”"') for w in m.group(1).split()]
        words = [w for w in words if w]
        hi = next(
            (
                i
                for i, w in enumerate(words[:6])
                if re.match(
                    r"(Protocol|Covenant|Convention|Constitution|Charter|Law|Code|Act|Decree|Agreement|Treaty|Statute|Regulations?)\b",
                    w,
                )
            ),
            None,
        )
        if hi is None:
            return True  # "article 20 of its competence": not an instrument
        noun = re.match(r"[A-Za-z]+", words[hi]).group(0)
        if noun != self.head:
            return False
        pre = {w.lower() for w in words[:hi] if not w.isdigit()}
        if pre - _OWN_QUAL - self.before:
            return False
        rest = words[hi + 1 : hi + 5]
        if rest and rest[0].lower() in ("on", "against", "to", "for", "concerning", "relating", "of", "in"):
            k = 2 if len(rest) > 1 and rest[1].lower() == "the" else 1
            titled = rest[0].lower() in ("concerning", "relating") or (len(rest) > k and rest[k][:1].isupper())
            if titled:  # a title follows: it must be the page's own
                mine = [w.lower() for w in self.after]
                theirs = [w.lower() for w in rest]
                n = min(len(mine), len(theirs), 3)
                if n == 0 or mine[:n] != theirs[:n]:
                    return False
        return True


def find_articles(text: str, inst: Instrument | None = None) -> list[Art]:
    """Articles of the page's treaty named in ``text``: ``article 30, paragraph 1`` -> 30-1;
    ``articles 20 (1), 20 (2) and 21 (a)`` -> 20-1, 20-2, 21; ``paragraph 1 of article 30`` -> 30-1.
    References to another instrument (``article 27 of the Vienna Convention``) are left out."""
    found: list[Art] = []
    taken: list[tuple[int, int]] = []
    for m in _PARA_OF.finditer(text):
        taken.append(m.span())
        if inst is None or inst.is_own(text[m.end() :]):
            found.append(Art(str(int(m.group(2))), str(int(m.group(1)))))
    for h in _ART_HEAD.finditer(text):
        if any(a <= h.start() < b for a, b in taken):
            continue  # "paragraph 1 of article 30" is read above
        pos = h.end()
        group: list[Art] = []
        while True:
            m = _ART_ITEM.match(text, pos)
            if not m:
                break
            num = _roman_or_int(m.group("num"))
            if num is None or (m.group("num").isdigit() and int(m.group("num")) > 200):
                break
            para = m.group("p1") or m.group("p2")
            group.append(Art(num, str(int(para)) if para else None))
            pos = m.end()
            s = _ART_SEP.match(text, pos)
            if not s or not _ART_ITEM.match(text, s.end()) or not re.match(r"\d|[IVXL]+\b", text[s.end() :]):
                break
            pos = s.end()
        if group and (inst is None or inst.is_own(text[pos:])):
            found.extend(group)
    out: list[Art] = []
    for a in found:
        if a not in out:
            out.append(a)
    return out


# ---------------------------------------------------------------------------------------------
# Names in running text
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _known_names() -> tuple[tuple[str, str], ...]:
    """(normalised name, code) for every name ``names`` resolves: its alias table and ISO names."""
    # the shared table of depositary spellings, and the normalised ISO names names.resolve reads
    cands = set(names._STATE_ALIASES) | set(names._iso_names())  # noqa: SLF001
    out = {}
    for c in cands:
        k = names._norm(c)  # noqa: SLF001
        p = names.resolve(c)
        if p is not None and (len(k) >= 4 or k in _SHORT_NAMES):
            out[k] = p.code
    return tuple(sorted(out.items()))


_SHORT_NAMES = {"chad", "cuba", "iran", "iraq", "fiji", "laos", "mali", "oman", "peru", "togo"}


class NameFinder:
    """Finds participant names (and former States) in running text, longest first."""

    def __init__(self, extra_names: list[str]):
        keys = dict(_known_names())
        for c in extra_names:
            k = names._norm(_strip_note_digits(c))  # noqa: SLF001
            p = names.resolve(c)
            if p is not None and (len(k) >= 4 or k in _SHORT_NAMES):
                keys[k] = p.code
        self.codes = keys
        # for each first word, the lengths (in words) of the keys starting with it, longest first
        lengths: dict[str, set[int]] = {}
        for k in keys:
            ws = k.split()
            lengths.setdefault(ws[0], set()).add(len(ws))
        self.lengths = {w: sorted(ns, reverse=True) for w, ns in lengths.items()}

    def find(self, text: str) -> list[tuple[int, str, str]]:
        """(position in the normalised text, code, matched key) in order of appearance, longest match first."""
        norm = _norm_text(text)
        words = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", norm)]
        out = []
        i = 0
        while i < len(words):
            for n in self.lengths.get(words[i][1], ()):
                if i + n > len(words):
                    continue
                key = " ".join(w for _, w in words[i : i + n])
                code = self.codes.get(key)
                if code:
                    out.append((words[i][0], code, key))
                    i += n
                    break
            else:
                i += 1
        return out


@lru_cache(maxsize=8192)
def _norm_text(text: str) -> str:
    return names._norm(text)  # noqa: SLF001


# ---------------------------------------------------------------------------------------------
# The graph builder
# ---------------------------------------------------------------------------------------------
@dataclass
class Actor:
    code: str
    kind: str  # state | organization
    name: str
    labels: set[str] = field(default_factory=set)
    notes: set[int] = field(default_factory=set)
    row: int | None = None
    signature: dt.date | None = None
    consent: dt.date | None = None
    consent_from: str = "the participants table"
    consent_bracketed: bool = False

    @property
    def node(self) -> URIRef:
        return iri.state(self.code) if self.kind == "state" else iri.organization(self.code)


@dataclass
class Act:
    node: URIRef
    cls: str
    actor: str
    date: dt.date | None
    qualifier: str | None
    locators: set[str] = field(default_factory=set)
    provisions: set[str] = field(default_factory=set)
    accepts: set[str] = field(default_factory=set)
    excludes: set[str] = field(default_factory=set)
    withdraws: set[URIRef] = field(default_factory=set)
    objects_to: set[URIRef] = field(default_factory=set)
    effective: dt.date | None = None
    effective_earliest: dt.date | None = None
    effective_latest: dt.date | None = None
    performed_as: str | None = None
    succeeded_from: set[str] = field(default_factory=set)
    territory: set[str] = field(default_factory=set)


class Builder:
    def __init__(self, page: Page, report: ImportReport):
        self.page = page
        self.report = report
        self.file = page.file.name
        self.key = iri.treaty_key_untc(page.mtdsg)
        self.treaty = iri.treaty(self.key)
        self.inst = Instrument(page.title, page.head_noun)
        self.actors: dict[str, Actor] = {}
        self.acts: dict[URIRef, Act] = {}
        self.by_name: dict[str, str] = {}  # normalised UNTC name -> code
        self.note_refs: dict[int, set[str]] = {}  # note -> codes referencing it
        self.opt = {a: v for (t, a), v in OPT_PROCEDURES.items() if t == page.mtdsg}
        self.finder: NameFinder | None = None

    # -- helpers ---------------------------------------------------------------------------
    def skip(self, element: str, reason: str) -> None:
        self.report.skip(self.file, element, reason)

    def actor_for(self, name: str, element: str, notes: list[int] | None = None) -> Actor | None:
        k = _norm_text(name)
        if k in self.by_name:
            a = self.actors[self.by_name[k]]
        else:
            p = names.resolve(name)
            if p is None:
                self.skip(element, f"participant name {name!r} not resolved to a State or organisation")
                self.report.count("unresolved names")
                return None
            a = self.actors.get(p.code)
            if a is None:
                a = self.actors[p.code] = Actor(p.code, p.kind, p.name)
            self.by_name[k] = p.code
        a.labels.add(name)
        for n in notes or []:
            a.notes.add(n)
            self.note_refs.setdefault(n, set()).add(a.code)
        return a

    def code_actor(self, code: str) -> Actor:
        if code not in self.actors:
            self.actors[code] = Actor(code, "state", names.state_name(code))
        return self.actors[code]

    def add_act(self, cls: str, actor: str, date: dt.date | None, locator: str, qualifier: str | None = None) -> Act:
        node = iri.act(self.key, actor, act_type(cls), date.isoformat() if date else None, qualifier)
        a = self.acts.get(node)
        if a is None:
            a = self.acts[node] = Act(node, cls, actor, date, qualifier)
        a.locators.add(locator)
        return a

    def consent_date(self, code: str) -> dt.date | None:
        a = self.actors.get(code)
        return a.consent if a else None

    def find_acts(
        self, cls: str, actor: str, arts: list[Art] | None = None, before: dt.date | None = None
    ) -> list[Act]:
        out = []
        for a in self.acts.values():
            if a.cls != cls or a.actor != actor:
                continue
            if before and a.date and a.date > before:
                continue
            if arts:
                keys = {x.key() for x in arts}
                nums = {x.number for x in arts}
                if not (a.provisions & keys or {p.split("-")[0] for p in a.provisions} & nums):
                    continue
            out.append(a)
        return sorted(out, key=lambda x: str(x.node))

    # -- 1. participants table --------------------------------------------------------------
    def participants(self) -> None:
        page = self.page
        maps = {c: column_map(c) for c in page.columns[1:]}
        for row in page.rows:
            a = self.actor_for(row.name, f"participants table row {row.index}", row.notes)
            if a is None:
                continue
            a.row = row.index
            self.report.count("participants")
            for cell in row.cells:
                default, by_suffix = maps.get(cell.column, (None, {}))
                if cell.suffix:
                    cls, label = by_suffix.get(cell.suffix, (_DEFAULT_SUFFIX.get(cell.suffix), cell.suffix))
                else:
                    cls, label = default, None
                if cls is None:
                    self.skip(
                        f"participants table row {row.index} ({row.name}), column {cell.column!r}",
                        f"no act class for column header / suffix {cell.suffix!r}",
                    )
                    continue
                loc = "participants table"
                extras = []
                if label and "succession to signature" in label:
                    extras.append("succession to signature")
                if cell.suffix in _SUFFIX_NOTE:
                    extras.append(_SUFFIX_NOTE[cell.suffix])
                if cell.bracketed:
                    extras.append("shown in brackets: participation ended")
                if row.notes:
                    extras.append("end note " + ", ".join(str(n) for n in sorted(set(row.notes))))
                if extras:
                    loc += " (" + "; ".join(extras) + ")"
                self.add_act(cls, a.code, cell.date, loc)
                if cls == "Signature":
                    a.signature = cell.date
                elif cls in CONSENT:
                    a.consent = cell.date
                    a.consent_bracketed = cell.bracketed

    # -- 2. sections: declarations, reservations, objections, derogations -------------------
    _HEAD_KIND = re.compile(
        r"^\W*(?:\(?[a-z]\)\s*|\d+\.\s*)?(?:[A-E]\)\s*)?(?:the\s+)?(interpretative\s+)?(declarations?|d[ée]clarations?|reservations?|understandings?|statements?"
        r"|objections?|notifications?)\b",
        re.I,
    )
    _UPON = re.compile(
        r"upon\s+(?:(?:its|the|their)\s+)?(signature|ratification|accession|succession|acceptance|approval|formal confirmation)"
        r"|at the time of (?:(?:its|the)\s+)?(signature|ratification|accession)",
        re.I,
    )

    def segment_entry(self, e: Entry) -> list[tuple[dt.date | None, str | None, list[tuple[str, str]]]]:
        """Split an entry into (date printed above it, unparsed date text, lines) segments."""
        segs: list = [[None, None, []]]
        for kind, text in e.lines:
            if kind == "date":
                t = re.sub(r"[^\w\s]", " ", text).strip()
                if not re.search(r"\d", t) or len(t) > 40:
                    segs[-1][2].append(("head", text))  # a signature block or "reservation at the time of accession"
                    continue
                try:
                    segs.append([find_date(t), None, []])
                except DateError:
                    self.skip(
                        f"{self._section_name(e.section)} entry {e.name!r}",
                        f"unparseable date {text!r}: the statement is recorded without a date",
                    )
                    segs.append([None, text, []])
                continue
            segs[-1][2].append((kind, text))
        return [tuple(s) for s in segs if s[2]]

    def entry_date(
        self, code: str, seg_date: dt.date | None, timing: str | None, bad_date: str | None = None
    ) -> tuple[dt.date | None, str]:
        a = self.actors.get(code)
        if seg_date:
            return seg_date, "date printed with the entry"
        if bad_date:
            return None, f"date printed with the entry not readable: {bad_date!r}"
        if timing == "signature" and a and a.signature:
            return a.signature, "made upon signature: date of signature"
        if a and a.consent:
            return a.consent, f"made upon ratification, accession or succession: date of consent from {a.consent_from}"
        if a and a.signature:
            return a.signature, "participant has signed only: date of signature"
        return None, "date not given"

    def register_entries(self) -> None:
        """Every participant named in the sections below the table (and its note references)."""
        for e in self.page.entries:
            self.actor_for(e.name, f"{self._section_name(e.section)} entry {e.name!r}", e.notes)

    def sections(self) -> None:
        for e in self.page.entries:
            code = self.by_name.get(_norm_text(e.name))
            if code is None or e.section == "objection":
                continue  # objections are read after every reservation is known
            for seg_date, bad, lines in self.segment_entry(e):
                self.statement_block(self.actors[code], e, seg_date, lines, bad)

    def objections(self) -> None:
        for e in self.page.entries:
            if e.section != "objection":
                continue
            k = _norm_text(e.name)
            code = self.by_name.get(k)
            if code is None:
                continue
            for seg_date, bad, lines in self.segment_entry(e):
                text = " ".join(t for _, t in lines)
                if not text:
                    continue
                date, how = self.entry_date(code, seg_date, None, bad)
                # the target: first name in the "With regard to the reservation made by X" line
                target = None
                head = next((t for k2, t in lines if re.search(r"(?:regard|respect|relating) to|made by", t, re.I)), "")
                for _, c, _k in self.names(head):
                    if c != code:
                        target = c
                        break
                loc = f"objections: entry {e.name!r} ({how})"
                act = self.add_act("Objection", code, date, loc, qualifier=target)
                if target:
                    upon = self._UPON.search(head)
                    cands = self.find_acts("Reservation", target, before=date) + self.find_acts(
                        "Declaration", target, before=date
                    )
                    if upon and self.consent_date(target):
                        want = (
                            self.actors[target].signature if upon.group(1) == "signature" else self.consent_date(target)
                        )
                        sel = [c for c in cands if c.date == want]
                        cands = sel or cands
                    for c in cands:
                        act.objects_to.add(c.node)
                    self.code_actor(target)

    def names(self, text: str) -> list[tuple[int, str, str]]:
        if self.finder is None:
            extra = [n for a in self.actors.values() for n in a.labels]
            self.finder = NameFinder(extra)
        return self.finder.find(text)

    _ART_HEADING = re.compile(
        r"^\W*(?:\d+\.\s*|\(?[a-z]{1,3}\)\s*)?(?:In respect of |With (?:regard|respect) to |Regarding |Concerning )?(?:articles?|arts?\.)\s+[\dIVXL]",
        re.I,
    )
    _RESERVATION_WORDING = re.compile(
        r"\breserv|not consider (?:itself|themselves) bound|not (?:to )?be bound|shall not apply", re.I
    )

    def statement_block(
        self, a: Actor, e: Entry, seg_date: dt.date | None, lines: list[tuple[str, str]], bad: str | None = None
    ) -> None:
        text = " ".join(t for _, t in lines)
        if re.match(r"^\W*See chapter [IVXLC]+", text):
            self.report.count("cross-references to another page")
            return
        where = f"{self._section_name(e.section)}: entry {e.name!r}"
        if e.section == "derogation":
            date, how = self.entry_date(a.code, seg_date, None, bad)
            act = self.add_act("Derogation", a.code, date, f"{where} ({how})")
            for art in find_articles(text, self.inst):
                act.provisions.add(art.key())
            self.performed_as(act, text, a.code)
            return
        # a notification of the depositary inside an entry ("On 19 December 2025, Poland informed
        # the Secretary-General that it withdraws ...") is an event, not a statement
        if (
            not bad
            and re.search(r"(?:notified|informed) the Secretary-General|Secretary-General received", text)
            and re.search(r"withdr|denounc", text, re.I)
        ):
            self.events(text, {a.code}, where, seg_date)
            return
        # group the lines by heading: kind (reservation / declaration ...) and timing (signature / consent)
        kind: str | None = None
        timing: str | None = None
        art_ctx: list[Art] = []
        groups: dict[tuple[str | None, str | None], list[tuple[str, list[Art]]]] = {}
        for k, t in lines:
            short = k == "head" or len(t) < 120
            hm = self._HEAD_KIND.match(t) if short else None
            wm = (
                re.match(r"^\W*(?:partial\s+)?withdrawal of (?:the\s+|its\s+)?(reservation|declaration)", t, re.I)
                if short
                else None
            )
            up = self._UPON.search(t) if short else None
            if hm or wm or (up and k == "head"):
                if wm:
                    kind = (
                        "WithdrawalOfReservation" if wm.group(1).lower() == "reservation" else "WithdrawalOfDeclaration"
                    )
                elif hm:
                    w = t[: max(hm.end(), 80)].lower()
                    has_res = "reserv" in w
                    has_dec = bool(re.search(r"d[ée]clar|understand|statement", w))
                    if "objection" in hm.group(2).lower():
                        kind = "Objection"
                    elif has_res and has_dec:
                        kind = "Declaration+Reservation"
                    elif has_res:
                        kind = "Reservation"
                    else:
                        kind = "Declaration"
                if up:
                    which = (up.group(1) or up.group(2) or "").lower()
                    timing = "signature" if which == "signature" and not re.search(r"confirm", t, re.I) else "consent"
                art_ctx = find_articles(t, self.inst)
                rest = t[(hm or wm or up).end() :]
                if len(t) < 120 and (k == "head" or t.rstrip().endswith(":") or len(rest.strip(" :.")) < 3 or art_ctx):
                    continue  # a heading line
            elif k == "head" and self._ART_HEADING.match(t) and len(t) < 90:
                art_ctx = find_articles(t, self.inst)
                continue
            arts = find_articles(t, self.inst) or art_ctx
            groups.setdefault((kind, timing), []).append((t, arts))
        for (kind, timing), items in groups.items():
            self.statement_group(a, e, seg_date, kind, timing, items, bad)

    @staticmethod
    def _section_name(section: str) -> str:
        return {
            "decl": "declarations and reservations",
            "under-article": "declarations under articles",
            "notification": "notifications",
            "derogation": "derogation notifications",
            "objection": "objections",
        }[section]

    _POS_RECOG = re.compile(r"\b(recogni[sz](?:e[sd]?|ing)|accepts?|accepted|agrees? to recogni[sz]e)\b", re.I)
    _NEG = re.compile(
        r"\b(?:not|no longer)\s+(?:to\s+)?(?:recogni[sz]|accept|consider itself bound|be bound|undertake)|\bnon-recognition\b|\bexclud|"
        r"\bwithout recogni[sz]",
        re.I,
    )

    def opt_for(self, text: str, arts: list[Art], section: str) -> list[tuple[str, str, str]]:
        """[(kind, mode, procedure article)] of the opt-in/out procedures ``text`` accepts or excludes."""
        if not self.opt:
            return []
        neg = bool(self._NEG.search(text))
        pos = bool(self._POS_RECOG.search(text)) and not neg
        compet = bool(re.search(r"competen|jurisdiction", text, re.I))
        hits = [self.opt[x.number] for x in arts if x.number in self.opt]
        if not hits and (compet or section == "under-article") and (pos or neg):
            for kind, rx in _PROCEDURE_PHRASES.items():
                if rx.search(text):
                    hits += [v for v in self.opt.values() if v[0] == kind]
        out: list[tuple[str, str, str]] = []
        for kind, mode, proc_art in hits:
            if (
                mode == "opt-in"
                and (pos or (section == "under-article" and not neg))
                or mode == "opt-out"
                and neg
                and (compet or arts)
            ):
                if (kind, mode, proc_art) not in out:
                    out.append((kind, mode, proc_art))
        return out

    def statement_group(
        self, a: Actor, e: Entry, seg_date, kind, timing, items: list[tuple[str, list[Art]]], bad=None
    ) -> None:
        date, how = self.entry_date(a.code, seg_date, timing, bad)
        loc = f"{self._section_name(e.section)}: entry {e.name!r} ({how})"
        if kind in ("WithdrawalOfReservation", "WithdrawalOfDeclaration"):
            arts = [x for _, xs in items for x in xs]
            act = self.add_act(kind, a.code, date, loc)
            act.provisions.update(x.key() for x in arts)
            target = "Reservation" if kind == "WithdrawalOfReservation" else "Declaration"
            self.link_withdrawn(act, target, a.code, arts, date or self.page.status_as_of, None, loc, "", "")
            return
        general: list[tuple[str, list[Art]]] = []
        heading_arts = (
            find_articles(self.page.section_heads.get(e.section, ""), self.inst) if e.section == "under-article" else []
        )
        made_opt = False
        for t, arts in items:
            use = arts or (heading_arts if len(heading_arts) == 1 else [])
            found = self.opt_for(t, use, e.section)
            if not found:
                general.append((t, arts))
                continue
            for pkind, mode, proc_art in found:
                cls = "Declaration" if mode == "opt-in" else "Reservation"
                act = self.add_act(cls, a.code, date, loc, qualifier=f"art-{proc_art}")
                act.provisions.add(proc_art)
                (act.accepts if mode == "opt-in" else act.excludes).add(pkind)
                self.performed_as(act, t, a.code)
                made_opt = True
        if made_opt and e.section == "under-article":
            # the lines around a recognition ("By virtue of the powers vested in me ...") belong to it
            general = [(t, x) for t, x in general if self._NEG.search(t) or re.search(r"\breserv", t, re.I)]
        if not general:
            return
        text = " ".join(t for t, _ in general)
        if len(re.sub(r"\W", "", text)) < 3:
            return
        if e.section == "under-article":
            cls_list = ["Declaration"]
        elif kind == "Declaration+Reservation":
            cls_list = ["Declaration", "Reservation"]
        elif kind in ("Reservation", "Declaration", "Objection"):
            cls_list = [kind]
        else:  # no heading: the wording decides
            cls_list = ["Reservation"] if self._RESERVATION_WORDING.search(text) else ["Declaration"]
        provs = {x.key() for _, arts in general for x in arts}
        if e.section in ("notification", "under-article") and not provs:
            # "Notifications made under article 17": the heading names the article
            provs = {x.key() for x in find_articles(self.page.section_heads.get(e.section, ""), self.inst)}
        for cls in cls_list:
            act = self.add_act(cls, a.code, date, loc)
            act.provisions.update(provs)
            self.performed_as(act, text, a.code)

    def performed_as(self, act: Act, text: str, code: str) -> None:
        """The text attributes the act to a former State that ``code`` continues."""
        for _, c, _k in self.names(text[:300]):
            if CONTINUATIONS.get(c) == code:
                act.performed_as = c
                self.code_actor(c)
                return

    # -- 3. territorial application table ----------------------------------------------------
    def territorial(self) -> None:
        for i, name, refs, dtext, terr in self.page.territorial:
            a = self.actor_for(name, f"territorial application row {i}", refs)
            if a is None:
                continue
            try:
                d = parse_date(dtext)
            except DateError as e:
                self.skip(f"territorial application row {i} ({name})", str(e))
                continue
            act = self.add_act(
                "TerritorialApplication", a.code, d, "territorial application table", qualifier=_territory_key(terr)
            )
            act.territory.add(terr)

    # -- 4. end notes --------------------------------------------------------------------------
    def end_notes(self, phase: str) -> None:
        """Read the end notes: ``history`` (denunciations, earlier and later consents: run before the
        sections, which date statements by the consent) or ``statements`` (withdrawals, territorial
        notifications, declarations quoted in the notes)."""
        if phase == "history":
            for n, codes in sorted(self.note_refs.items()):
                if n not in self.page.notes:
                    for c in sorted(codes):
                        a = self.actors[c]
                        self.skip(
                            f"participant {sorted(a.labels)[0]!r}", f"footnote reference {n} points to no end note"
                        )
        for n in sorted(self.page.notes):
            codes = self.note_refs.get(n, set())
            text = "\n".join(self.page.notes[n])
            self.events(text, codes, f"end note {n}", None, note=n, phases=(phase,))
        if phase == "history":
            # statements "made upon ratification, accession ..." belong to the latest consent
            for a in self.actors.values():
                acts = [x for x in self.acts.values() if x.actor == a.code and x.cls in CONSENT and x.date]
                acts = [x for x in acts if x.date <= self.page.status_as_of]
                if acts:
                    last = max(acts, key=lambda x: (x.date, str(x.node)))
                    if last.date != a.consent:
                        a.consent = last.date
                        a.consent_from = " / ".join(sorted(last.locators))

    _SENT_SPLIT = re.compile(r"(?<=[.;])[\"”’]?\s+(?=[A-Z“\"(\[])|\n|(?<=:)\s*(?=[A-Z“\"‘])")
    _ABBR = re.compile(
        r"(?:\b(?:No|Nos|vol|p|pp|para|paras|art|Art|arts|St|Mr|Mrs|i\.e|e\.g|cf|Corr|Add|Rev|op|cit|al|Vol)\.|\b[A-Z]\.)$"
    )

    def sentences(self, text: str) -> list[str]:
        parts: list[str] = []
        for chunk in self._SENT_SPLIT.split(text):
            if not chunk or not chunk.strip():
                continue
            if parts and self._ABBR.search(parts[-1]):
                parts[-1] = parts[-1] + " " + chunk
            else:
                parts.append(chunk)
        return [p.strip() for p in parts]

    _EVENT_ANCHOR = re.compile(
        r"(?:\b[Oo]n|\breceived(?: by the Secretary-General)?(?: on| in)|\b[Bb]y (?:a )?(?:notification|communication)s? "
        r"(?:received )?on)\s*$"
    )
    _EFFECT_ANCHOR = re.compile(
        r"(?:with effect (?:as )?(?:from|on|as of)|as from|took effect on|takes? effect on|taking effect on|"
        r"effective (?:from|on|as of)|\bas of)\s*(?:that date,?\s*)?$",
        re.I,
    )
    _BAD_CONTEXT = re.compile(
        r"(?:adopted|opened for signature|\bdone\b|concluded|Decree|\bLaw\b|\bAct\b|Ordinance|resolution|C\.N\.[\w.-]*\s+of|\bdated|circulated|"
        r"general elections|midnight)[^.;]{0,30}$",
        re.I,
    )

    def dates_in(self, s: str) -> tuple[list[dt.date], list[dt.date]]:
        """(event dates, effective dates) of a sentence: the first date list after "On", "received on" ...,
        and the dates after "with effect from", "took effect on" ..."""
        events: list[dt.date] = []
        effects: list[dt.date] = []
        for m in DATELIST_RE.finditer(s):
            if not DATE_RE.search(m.group(0)):
                continue
            ds = parse_date_list(m.group(0))
            if not ds:
                ds = []
                for dm in DATE_RE.finditer(m.group(0)):
                    try:
                        ds.append(parse_date(dm.group(0)))
                    except DateError:
                        pass
            if not ds:
                continue
            before = s[max(0, m.start() - 60) : m.start()]
            if self._EFFECT_ANCHOR.search(before):
                effects.extend(ds)
            elif not events and self._EVENT_ANCHOR.search(before) and not self._BAD_CONTEXT.search(before):
                events = ds
        return events, effects

    _VERB = re.compile(
        r"\b(notified|notifying|informed|indicated|withdr\w*|acceded|ratified|signed|denounced|effected|succeeded|"
        r"had decided|decided|declared|declares|recogni[sz]es|recogni[sz]ed|made a communication|deposited)\b"
    )

    def subjects(self, s: str) -> list[str]:
        """The participants (or former States) a sentence is about: the names before its first verb."""
        found = [(p, c, k) for p, c, k in self.names(s) if c in self.actors or names.is_former_state(c)]
        norm = _norm_text(s)
        vpos = None
        for m in self._VERB.finditer(norm):
            if any(p < m.start() for p, _, _ in found):
                vpos = m.start()
                break
        subj: list[str] = []
        for p, c, _k in found:
            if vpos is not None and p > vpos:
                break
            if vpos is None:
                break
            if c not in subj:
                subj.append(c)
        return subj

    def head_ref(self, s: str) -> bool:
        """The sentence names the page's own treaty ("the Optional Protocol", "the said Convention")."""
        rx = rf"\b(?:the|this|its)\s+(?:(?:said|present|above-mentioned|Second|Optional)\s+)*{self.inst.head}\b"
        for m in re.finditer(rx, s):
            if self.inst.is_own(" of " + s[m.start() :]):
                return True
        return False

    def denounces_own(self, s: str) -> bool:
        """What is denounced is the page's own treaty (not "the Convention concerning ... (ILO No. 45)")."""
        for m in re.finditer(r"\b(?:denounc\w*|denunciation)\s+(?:of\s+)?", s):
            obj = s[m.end() : m.end() + 120]
            if re.match(
                rf"(?:the|this|its)\s+(?:(?:said|present|above-mentioned|Second|Optional)\s+)*{self.inst.head}\b", obj
            ):
                return self.inst.is_own(" of " + obj)
        return False

    def events(
        self,
        text: str,
        refs: set[str],
        where: str,
        context_date: dt.date | None,
        note: int | None = None,
        phases: tuple[str, ...] = ("history", "statements"),
    ) -> None:
        """Interpret the depositary's narrative (an end note, or a dated notification in an entry)."""
        last_date = context_date
        sents = self.sentences(text)
        intro: list[dt.date] = []
        for i, s in enumerate(sents):
            ev, eff = self.dates_in(s)
            if not ev and intro:  # "On D, X notified the Secretary-General of the following: <text>"
                ev = intro
            if not ev and re.search(r"\b(?:that|the) same (?:date|day)\b", s, re.I) and last_date:
                ev = [last_date]
            if not ev and context_date and re.search(r"(?:notified|informed) the Secretary-General", s):
                ev = [context_date]
            actors = self.resolve_subjects(self.subjects(s), refs)
            low = s.lower()
            handled = False
            history, statements = "history" in phases, "statements" in phases
            if (
                ev
                and re.search(r"\bdenounc|\bdenunciation\b", low)
                and re.search(r"notif|inform|decision|decided|effect", low)
                and not re.search(r"procedure followed|\bmay denounce|circumvent|denouncing", low)
                and self.denounces_own(s)
            ):
                pairs = self.pair(actors, ev) if history else []
                for (code, pas, d), e in zip(pairs, self.effects_for(len(pairs), eff, where)):
                    self.code_actor(code)
                    act = self.add_act("Denunciation", code, d, where)
                    if pas:
                        act.performed_as = pas
                    if e:
                        act.effective = e
                handled = True
            if (
                not handled
                and ev
                and re.search(r"\bwithdr[a-z]*\b", low)
                and not re.search(r"withdr[a-z]* from (?:military|the armed)", low)
            ):
                handled = (
                    self.withdrawal(s, actors, ev, eff, where, text, self.quoted(sents, i))
                    if statements
                    else bool(self._OBJ_SPLIT.search(s))
                )
            if not handled and ev and self._PRIOR_RX.search(s) and self.acts_on_own(s):
                handled = self.prior_acts(s, actors, ev, where) if history else True
            if (
                not handled
                and statements
                and re.search(
                    r"(?:would|shall|will|should)\s+(?:also\s+)?(?:apply|extend) to\b|\bapplies to\b|territorial exclusion",
                    s,
                    re.I,
                )
            ):
                handled = self.territorial_note(s, actors, ev, refs, where, last_date)
            if (
                not handled
                and statements
                and last_date
                and self._POS_RECOG.search(s)
                and re.search(r"competen", s, re.I)
            ):
                self.recognition(s, actors, last_date, where)
            if ev:
                last_date = ev[-1]
            intro = (
                ev
                if ev and s.rstrip().endswith(":") and re.search(r"(?:notified|informed) the Secretary-General", s)
                else []
            )
        if note is not None and "statements" in phases:
            self.successions(refs, text)

    def quoted(self, sents: list[str], i: int) -> str:
        """The text a withdrawal quotes ("... the following reservation: <text>", "The text of the
        reservation withdrawn reads as follows: <text>"): the sentences up to the next dated event."""
        s = sents[i]
        nxt = sents[i + 1] if i + 1 < len(sents) else ""
        if not (
            re.search(r"following|as follows|which reads?\b|which read\b", s)
            or re.match(r"(?:The|the) (?:text|portion|reservations?|declarations?)\b.{0,60}(?:withdrawn|read)", nxt)
        ):
            return ""
        out = []
        for t in sents[i + 1 :]:
            if self.dates_in(t)[0] or re.search(
                r"(?:notified|informed) the Secretary-General|Secretary-General received", t
            ):
                break
            out.append(t)
        return " ".join(out)

    def recognition(self, s: str, actors, date: dt.date, where: str) -> None:
        """A note quoting a declaration that recognises a committee's competence (dated by the note's narrative)."""
        if not actors:
            return
        code, pas = actors[0]
        for pkind, mode, proc_art in self.opt_for(s, find_articles(s, self.inst), "note"):
            if mode != "opt-in":
                continue
            self.code_actor(code)
            act = self.add_act(
                "Declaration",
                code,
                date,
                f"{where} (date of the notification the note describes)",
                qualifier=f"art-{proc_art}",
            )
            act.provisions.add(proc_art)
            act.accepts.add(pkind)
            if pas:
                act.performed_as = pas

    def resolve_subjects(self, subj: list[str], refs: set[str]) -> list[tuple[str, str | None]]:
        """[(actor code, performed-as code)], mapping a former State to the participant continuing it."""
        out = []
        for c in subj:
            cont = CONTINUATIONS.get(c)
            if cont and (cont in refs or cont in self.actors):
                out.append((cont, c))
            else:
                out.append((c, None))
        if not out and len(refs) == 1:
            out = [(next(iter(refs)), None)]
        return out

    def effects_for(self, n: int, eff: list[dt.date], where: str) -> list[dt.date | None]:
        """The effective date of each of the ``n`` acts one sentence reports, in the sentence's order.
        One effective date (however often repeated) applies to every act; as many dates as acts go
        one to each, in order ("On D1, D2 and D3, respectively, ... article 23 (with effect from E1),
        article 14 (with effect from E2) ..."); any other count cannot be matched to the acts, so no
        effective date is recorded and the report says so."""
        if not eff or n == 0:
            return [None] * n
        if len(set(eff)) == 1:
            return [eff[0]] * n
        if len(eff) == n:
            return list(eff)
        self.skip(
            where,
            f"{len(eff)} effective dates ({', '.join(d.isoformat() for d in eff)}) for {n} act(s) in one sentence: "
            "not matched, no effective date recorded",
        )
        return [None] * n

    @staticmethod
    def pair(actors: list[tuple[str, str | None]], dates: list[dt.date]) -> list[tuple[str, str | None, dt.date]]:
        """Actors with dates: one each when the counts agree ("respectively"), else every actor on the first date."""
        if not actors or not dates:
            return []
        if len(dates) == len(actors) and len(dates) > 1:
            return [(c, p, d) for (c, p), d in zip(actors, dates)]
        return [(c, p, dates[0]) for c, p in actors]

    _OBJ_SPLIT = re.compile(
        r"\b(reservations?|declarations?|territorial exclusions?|understandings?|statements?)\b", re.I
    )

    def withdrawal(self, s: str, actors, ev, eff, where: str, context: str, quote: str = "") -> bool:
        m = re.search(r"\bwithdr[a-z]*\b", s)
        tail = s[m.start() :]
        cut = re.search(r"\b(?:which|that)\s+read|\breads? as follows|\bas follows\b", tail)
        if cut:
            tail = tail[: cut.start()]
        objs = list(self._OBJ_SPLIT.finditer(tail))
        if not objs:
            return False
        if not actors:
            self.skip(where, f"withdrawal without a recognisable State: {s[:80]!r}")
            return False
        groups: list[tuple[str, list[Art], str]] = []  # each keyword owns the articles up to the next keyword
        for i, om in enumerate(objs):
            seg = tail[om.start() : objs[i + 1].start() if i + 1 < len(objs) else len(tail)]
            w = om.group(1).lower()
            arts = find_articles(seg, self.inst)
            if w.startswith("territorial"):
                cls = "TerritorialApplication"
            elif w.startswith("reserv") or (
                arts and all(self.opt.get(x.number, ("", ""))[1] == "opt-out" for x in arts)
            ):
                cls = "WithdrawalOfReservation"  # an opt-out is a reservation whatever it is called
            else:
                cls = "WithdrawalOfDeclaration"
            if groups and groups[-1][0] == cls and not arts:
                continue
            if (
                groups
                and not groups[-1][1]
                and cls != "TerritorialApplication"
                and groups[-1][0] != cls
                and arts
                and len(groups[-1][2]) < 25
            ):
                # "the reservations and declarations made ... with regard to articles 2 and 50": both own the articles
                groups[-1] = (groups[-1][0], arts, groups[-1][2])
            groups.append((cls, arts, seg))
        # articles of the quoted text of what is withdrawn, when the sentence names none
        q_opt = (
            [o for o in self.opt_for(quote, find_articles(quote, self.inst), "note") if o[1] == "opt-out"]
            if quote
            else []
        )
        if quote and len(groups) == 1 and not groups[0][1] and groups[0][0] != "TerritorialApplication":
            q_arts = [x for x in find_articles(quote, self.inst) if not (x.number in self.opt and q_opt)]
            groups[0] = (groups[0][0], q_arts, groups[0][2])
        made_upon = self._UPON.search(tail)
        timing = None
        if made_upon:
            which = (made_upon.group(1) or made_upon.group(2) or "").lower()
            timing = "signature" if which == "signature" and "confirm" not in tail.lower() else "consent"
        partial = bool(re.search(r"partial", s, re.I))
        plan: list[tuple[str, str | None, dt.date, str, list[Art], str]] = []
        if len(actors) == 1 and len(ev) > 1 and "respectively" in s.lower():
            code, pas = actors[0]
            flat = [(g[0], x, g[2]) for g in groups for x in (g[1] or [None])]
            if len(groups) == len(ev):
                plan = [(code, pas, d, g[0], g[1], g[2]) for g, d in zip(groups, ev)]
            elif len(flat) == len(ev):
                plan = [(code, pas, d, cls, [x] if x else [], seg) for (cls, x, seg), d in zip(flat, ev)]
            else:
                plan = [(code, pas, ev[0], g[0], g[1], g[2]) for g in groups]
        else:
            plan = [(code, pas, d, g[0], g[1], g[2]) for code, pas, d in self.pair(actors, ev) for g in groups]
        # each act of the plan (in the sentence's order) gets its own effective date
        effects = self.effects_for(len(plan), eff, where)
        if q_opt and plan:  # the quoted text excludes an opt-out procedure: that reservation is withdrawn too
            extra = [
                (code, pas, d, "WithdrawalOfReservation", [Art(o[2])], "")
                for code, pas, d in {(p[0], p[1], p[2]) for p in plan}
                for o in q_opt
            ]
            extra = sorted(extra, key=lambda x: (x[0], x[2], x[4][0].number))
            # a withdrawal the quoted text adds takes effect with the act of the same State and day
            effects += [next(e for p, e in zip(plan, effects) if p[:3] == x[:3]) for x in extra]
            plan = plan + extra
        done = False
        for (code, pas, d, cls, arts, seg), e in zip(plan, effects):
            self.code_actor(code)
            if cls == "TerritorialApplication":
                terr = _territory_in(seg) or _territory_in(s)
                if terr:
                    act = self.add_act(
                        cls, code, d, f"{where} (withdrawal of a territorial exclusion)", qualifier=_territory_key(terr)
                    )
                    act.territory.add(terr)
                    done = True
                continue
            if cls == "WithdrawalOfDeclaration":
                again = [
                    x
                    for x in arts
                    if x.number in self.opt and self.opt[x.number][1] == "opt-in" and self._recognised(context, x)
                ]
                if again:
                    self.skip(
                        where,
                        f"{names.state_name(code)}: the note both withdraws and makes a declaration under article "
                        f"{', '.join(x.number for x in again)}; recorded as made",
                    )
                    arts = [x for x in arts if x not in again]
                    if not arts:
                        continue
            act = self.add_act(cls, code, d, where + (" (partial withdrawal)" if partial else ""))
            if pas:
                act.performed_as = pas
            if e:
                act.effective = e
            act.provisions.update(x.key() for x in arts)
            target = "Reservation" if cls == "WithdrawalOfReservation" else "Declaration"
            self.link_withdrawn(act, target, code, arts, d, timing, where, seg, s)
            done = True
        return done

    def _recognised(self, text: str, art: Art) -> bool:
        for s in self.sentences(text):
            if self._POS_RECOG.search(s) and not self._NEG.search(s) and art in find_articles(s, self.inst):
                return True
        return False

    def link_withdrawn(
        self, act: Act, target_cls: str, code: str, arts: list[Art], d: dt.date, timing, where: str, seg: str, s: str
    ) -> None:
        """Point a withdrawal to what it withdraws. A withdrawn reservation the page has no entry for is
        created, dated at the date of consent (or of signature, if made upon signature only).

        An article of an opt-out procedure makes the withdrawn act the reservation excluding it (an
        opt-out is a reservation whatever it is called); an article of an opt-in procedure makes it
        the declaration accepting it only when a declaration is withdrawn. A withdrawn *reservation*
        concerning an opt-in article ("the competence of the Committee as indicated in articles 21
        and 22") is a reservation like any other: it accepted nothing, so no accepting declaration is
        created for it."""

        def procedure_act(x: Art) -> bool:
            if x.number not in self.opt:
                return False
            return not (self.opt[x.number][1] == "opt-in" and target_cls == "Reservation")

        opt_arts = [x for x in arts if procedure_act(x)]
        plain = [x for x in arts if not procedure_act(x)]
        targets: list[Act] = []
        for x in opt_arts:
            kind, mode, proc_art = self.opt[x.number]
            want = "Reservation" if mode == "opt-out" else "Declaration"
            found = [c for c in self.find_acts(want, code, before=d) if c.qualifier == f"art-{proc_art}"]
            if found:
                targets += found
            else:
                base, how = self.entry_date(code, None, timing)
                if base and base > d:
                    base = None
                t = self.add_act(
                    want, code, base, f"{where} (the withdrawn {want.lower()}; {how})", qualifier=f"art-{proc_art}"
                )
                t.performed_as = t.performed_as or act.performed_as
                t.provisions.add(proc_art)
                (t.excludes if mode == "opt-out" else t.accepts).add(kind)
                targets.append(t)
        if plain or not arts:
            found = self.find_acts(target_cls, code, plain or None, before=d)
            found = [c for c in found if c.qualifier is None]
            if found:
                targets += found
            else:
                base, how = self.entry_date(code, None, timing)
                if base and base > d:
                    base = None
                t = self.add_act(target_cls, code, base, f"{where} (the withdrawn {target_cls.lower()}; {how})")
                t.performed_as = t.performed_as or act.performed_as
                t.provisions.update(x.key() for x in plain)
                targets.append(t)
        for t in targets:
            if t.node != act.node:
                act.withdraws.add(t.node)

    _PRIOR_RX = re.compile(r"\b(?:re-?acceded|acceded|ratified|signed|succeeded|accepted|approved)\b")

    def acts_on_own(self, s: str) -> bool:
        """An active "X signed / ratified / acceded to <the page's treaty>" (not "... which was ratified by")."""
        verb = r"(?:re-?acceded|acceded|ratified|signed|succeeded|accepted|approved)"
        rx = rf"\b{verb}(?:\s+and\s+{verb})?\s+(?:to\s+)?(?=(?:the|this|its)\s+(?:(?:said|present|above-mentioned|Second|Optional)\s+)*{self.inst.head}\b)"
        return any(self.inst.is_own(" of " + s[m.end() :]) for m in re.finditer(rx, s))

    _PRIOR_VERBS = {
        "signed": "Signature", "ratified": "Ratification", "acceded": "Accession", "reacceded": "Accession",
        "re-acceded": "Accession", "succeeded": "Succession", "accepted": "Acceptance", "approved": "Approval",
    }  # fmt: skip

    def prior_acts(self, s: str, actors, ev, where: str) -> bool:
        """ "X had signed and ratified the Convention on D1 and D2, respectively"; "re-acceded on D"."""
        if re.search(r"\bon behalf of\b", s) or not actors:
            return False
        verbs: list[str] = []
        for v in re.findall(r"\b(re-?acceded|acceded|ratified|signed|succeeded|accepted|approved)\b", s):
            if v.lower() not in verbs:
                verbs.append(v.lower())
        if not verbs:
            return False
        pairs = list(zip(verbs, ev)) if len(verbs) == len(ev) else [(v, ev[0]) for v in verbs]
        if self.page.adopted_on and any(d < self.page.adopted_on for _, d in pairs):
            self.skip(where, f"an act dated before the treaty was adopted ({s[:80]!r}...): not recorded")
            return True
        for code, pas in actors[:1]:
            a = self.code_actor(code)
            for v, d in pairs:
                cls = self._PRIOR_VERBS[v]
                act = self.add_act(cls, code, d, where)
                if pas:
                    act.performed_as = pas
            if re.search(r"\bwith (?:a |one )?reservations?\s*(?:[.;]|$|to article)", s):
                res = self.add_act(
                    "Reservation", code, pairs[-1][1], f"{where} (made with the consent the note reports)"
                )
                res.provisions.update(x.key() for x in find_articles(s, self.inst))
                if cls == "Signature":
                    a.signature = a.signature or d
                elif a.row is None:  # a State that is no longer in the table: its last consent
                    a.consent = d
        return True

    def territorial_note(
        self, s: str, actors, ev, refs: set[str], where: str, last_date: dt.date | None = None
    ) -> bool:
        terr = _territory_in(s)
        if not terr:
            return False
        code = actors[0][0] if actors else (next(iter(refs)) if len(refs) == 1 else None)
        if code is None:
            return False
        self.code_actor(code)
        exclusion = bool(re.search(r"exclu|not apply|shall not", s, re.I))
        if ev:
            d, how = ev[0], "date in the note"
        elif re.search(r"notif|inform|communicat", s, re.I):
            d, how = last_date, ("date of the communications the note describes" if last_date else "date not given")
        else:
            d, how = self.entry_date(code, None, None)
        what = "territorial exclusion" if exclusion else "territorial application"
        same = [
            x for x in self.acts.values() if x.cls == "TerritorialApplication" and x.actor == code and x.date == d and d
        ]
        if same:  # the notification the territorial application table already lists
            same[0].locators.add(f"{where} ({what})")
            return True
        act = self.add_act(
            "TerritorialApplication", code, d, f"{where} ({what}; {how})", qualifier=_territory_key(terr)
        )
        act.territory.add(terr)
        return True

    def successions(self, refs: set[str], text: str) -> None:
        """A successor's succession names the former State its note says it took over from."""
        former = sorted({c for _, c, _k in self.names(text) if names.is_former_state(c) and c not in CONTINUATIONS})
        if not former:
            return
        for code in refs:
            for act in self.acts.values():
                if act.actor == code and act.cls == "Succession":
                    for f in former:
                        if f != code:
                            act.succeeded_from.add(f)
                            self.code_actor(f)

    # -- 5. end of participations shown in brackets --------------------------------------------
    def brackets(self) -> None:
        """A bracketed consent means the page shows the participation as ended on its status date:
        a denunciation with no published effective date took effect on or before that date."""
        for a in self.actors.values():
            if not a.consent_bracketed:
                continue
            dens = [
                x for x in self.acts.values() if x.actor == a.code and x.cls in ("Denunciation", "WithdrawalFromTreaty")
            ]
            if not dens:
                self.skip(
                    f"participants table row {a.row} ({sorted(a.labels)[0]})",
                    "participation shown in brackets (ended) but no denunciation recognised in its end notes",
                )
                continue
            last = max(dens, key=lambda x: (x.date or dt.date.min))
            if last.effective is None:
                last.effective_earliest = last.date
                last.effective_latest = self.page.status_as_of
                last.locators.add("participants table (participation shown in brackets as ended by the status date)")

    # -- emit -------------------------------------------------------------------------------
    def emit(self):
        page = self.page
        ds = new_dataset()
        src_key = f"untc/{page.mtdsg}/{page.status_as_of.isoformat()}"
        g = ds.graph(iri.named_graph(src_key))
        src = iri.source(src_key)
        add_source_record(
            g, src, url=page.url, title=page.title, publisher=PUBLISHER,
            status_as_of=page.status_as_of.isoformat(), about=[self.treaty],
        )  # fmt: skip
        if page.parties is not None:
            g.add((src, TKG.reportedParties, Literal(page.parties, datatype=XSD.integer)))
        if page.signatories is not None:
            g.add((src, TKG.reportedSignatories, Literal(page.signatories, datatype=XSD.integer)))

        t = self.treaty
        m = re.match(r"(?:(?:Second|Third)\s+)?Optional Protocol to\b", page.title)
        parent = None
        pm = re.fullmatch(r"([IVXLC]+-\d+)-[a-z]+", page.mtdsg)
        if m and pm:
            parent = iri.treaty(iri.treaty_key_untc(pm.group(1)))
        elif m:
            self.skip("treaty title", f"optional protocol whose parent is not given by the MTDSG number {page.mtdsg}")
        g.add((t, RDF.type, TKG.OptionalProtocol if m else TKG.Treaty))
        if parent is not None:
            g.add((t, TKG.supplements, parent))
        g.add((t, DCTERMS.title, Literal(page.title, lang="en")))
        g.add((t, TKG.shortId, Literal(page.mtdsg)))
        if page.adopted_at:
            g.add((t, TKG.adoptedAt, Literal(page.adopted_at)))
        if page.adopted_on:
            g.add((t, TKG.adoptedOn, Literal(page.adopted_on.isoformat(), datatype=XSD.date)))
        if page.eif:
            g.add((t, TKG.generalEntryIntoForce, Literal(page.eif.isoformat(), datatype=XSD.date)))
        g.add((t, TKG.depositary, DEPOSITARY))
        g.add((t, PROV.wasDerivedFrom, src))
        g.add(
            (
                t,
                TKG.sourceLocator,
                Literal(
                    "header"
                    + (f" (entry into force in accordance with article {page.eif_article})" if page.eif_article else "")
                ),
            )
        )
        for act in list(self.acts.values()):
            for c in [act.actor, act.performed_as, *act.succeeded_from]:
                if c and c not in self.actors:
                    self.code_actor(c)
        for a in sorted(self.actors.values(), key=lambda x: x.code):
            node = a.node
            g.add((node, RDF.type, TKG.State if a.kind == "state" else TKG.InternationalOrganization))
            g.add((node, RDFS.label, Literal(a.name, lang="en")))
            for lab in sorted(a.labels):
                if lab != a.name:
                    g.add((node, SKOS.altLabel, Literal(lab, lang="en")))
            if a.kind == "state":
                g.add((node, TKG.isoAlpha3, Literal(a.code)))
            g.add((node, PROV.wasDerivedFrom, src))

        for act in self.acts.values():
            self.report.count(f"acts {act.cls}")
            if act.accepts:
                self.report.count("opt-in declarations")
            if act.excludes:
                self.report.count("opt-out reservations")
        for act in sorted(self.acts.values(), key=lambda x: str(x.node)):
            n = act.node
            g.add((n, RDF.type, TKG[act.cls]))
            g.add((n, TKG.actor, self.actors[act.actor].node))
            g.add((n, TKG.treaty, t))
            if act.date:
                g.add((n, TKG.date, Literal(act.date.isoformat(), datatype=XSD.date)))
            else:
                g.add((n, TKG.datePrecision, PRECISION_UNKNOWN))
            g.add((n, PROV.wasDerivedFrom, src))
            for loc in sorted(act.locators):
                g.add((n, TKG.sourceLocator, Literal(loc)))
            for p in sorted(act.provisions):
                g.add((n, TKG.concernsProvision, self.provision(g, p)))
            for k in sorted(act.accepts):
                g.add((n, TKG.acceptsProcedure, self.procedure(g, k)))
            for k in sorted(act.excludes):
                g.add((n, TKG.excludesProcedure, self.procedure(g, k)))
            for w in sorted(act.withdraws):
                g.add((n, TKG.withdraws, w))
            for o in sorted(act.objects_to):
                g.add((n, TKG.objectsTo, o))
            # every effective date, or bound of one, is read from the page: basis "published"
            if act.effective:
                g.add((n, TKG.effectiveDate, Literal(act.effective.isoformat(), datatype=XSD.date)))
                g.add((n, TKG.effectiveDateBasis, PUBLISHED))
            elif act.effective_earliest or act.effective_latest:
                if act.effective_earliest:
                    g.add(
                        (n, TKG.effectiveDateEarliest, Literal(act.effective_earliest.isoformat(), datatype=XSD.date))
                    )
                if act.effective_latest:
                    g.add((n, TKG.effectiveDateLatest, Literal(act.effective_latest.isoformat(), datatype=XSD.date)))
                g.add((n, TKG.effectiveDateBasis, PUBLISHED))
            if act.performed_as:
                g.add((n, TKG.performedAs, iri.state(act.performed_as)))
            for f in sorted(act.succeeded_from):
                g.add((n, TKG.succeededFrom, iri.state(f)))
            for terr in sorted(act.territory):
                g.add((n, TKG.territory, Literal(terr)))
        return ds

    def provision(self, g, art: str) -> URIRef:
        p = iri.provision(self.key, art)
        g.add((p, RDF.type, TKG.Provision))
        g.add((p, TKG.provisionOf, self.treaty))
        return p

    def procedure(self, g, kind: str) -> URIRef:
        """The procedure's IRI; procedures themselves are described by the reference graph."""
        return iri.procedure(self.key, kind)


def _territory_in(s: str) -> str | None:
    m = re.search(
        r"(?:apply|extend(?:ed|s)?|applies)\s+(?:also\s+)?to\s+(?:the\s+)?([A-Z][\w'’.-]*(?:[\s,]+(?:[A-Z][\w'’.-]*|of|and|the|de|du|\([A-Za-z ]+\)))*)"
        r"|(?:territorial exclusion|exclusion)\s+(?:in respect of|with regard to|of|regarding)\s+(?:the\s+)?((?:[A-Z][\w'’.-]*|of|and|the)(?:[\s,]+(?:[A-Z][\w'’.-]*|of|and|the))*)",
        s,
    )
    if not m:
        return None
    terr = (m.group(1) or m.group(2) or "").strip(" ,.")
    terr = re.sub(r"\s+(?:and|of|the)$", "", terr)
    if not terr or terr.split()[0] in (
        "Convention",
        "Covenant",
        "Protocol",
        "Optional",
        "Government",
        "Secretary-General",
    ):
        return None
    return terr


def _territory_key(terr: str) -> str:
    return iri.slug(terr.lower())[:60].strip("-")


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------
def _html_files(paths: list[Path], report: ImportReport) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            pages = sorted(x for x in p.iterdir() if x.suffix.lower() in (".html", ".htm") and x.is_file())
            if not pages:
                inner = sorted(str(x.relative_to(p)) for x in p.rglob("*.htm*") if x.is_file())
                hint = f" (sub-folders hold {len(inner)}, e.g. {inner[0]}: name that folder)" if inner else ""
                report.skip(p, "folder", f"no .html page directly in this folder{hint}")
            out.extend(pages)
        elif p.is_file():
            out.append(p)
        else:
            report.skip(p, "path", "no such file or folder")
    return out


def import_page(path: Path, report: ImportReport):
    """Parse one page and build its dataset; ``(page, dataset)`` or ``None`` (reason in the report)."""
    try:
        page = parse_page(path, report)
    except PageError as e:
        report.skip(path.name, "page", str(e))
        return None
    except (OSError, UnicodeDecodeError, DateError) as e:
        report.skip(path.name, "page", f"cannot read: {e}")
        return None
    b = Builder(page, report)
    b.participants()
    b.register_entries()
    b.end_notes("history")
    b.sections()
    b.territorial()
    b.end_notes("statements")
    b.objections()
    b.brackets()
    return page, b.emit()


def run(paths: list[Path], out_dir: Path) -> ImportReport:
    report = ImportReport(source="untc")
    out_dir = Path(out_dir)
    written: dict[str, Path] = {}
    for path in _html_files(paths, report):
        res = import_page(path, report)
        if res is None:
            continue
        page, ds = res
        if page.mtdsg in written:
            report.skip(
                path.name, "page", f"a second page for {page.mtdsg} (first: {written[page.mtdsg].name}); not written"
            )
            continue
        target = out_dir / f"{page.mtdsg}.trig"
        Doc.from_dataset(ds).write(target)
        written[page.mtdsg] = path
        report.written.append(target)
        report.count("treaties")
    report.count("skips", 0)
    report.counts["skips"] = len(report.skipped)
    return report
