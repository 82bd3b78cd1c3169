"""Import the IEADB (International Environmental Agreements Database), multilateral subset.

Input: the ``ieadb-2026`` folder or its two files (recognised by their header):
``ieadb_mea_treaties.csv`` (one row per agreement) and ``ieadb_mea_memberships.csv`` (one
row per participant action). Output, in ``out_dir``:

* ``treaties.trig``: graph ``graph/ieadb/treaties/2026-01-31`` with its source record and one
  node per agreement, ``id/treaty/ieadb-<IEA#>``: ``tkg:Treaty`` (``tkg:Protocol`` for type
  "Protocol", ``tkg:AmendingProtocol`` for "Amendment..." types, linked to the parent named in
  ``AmendProtToA`` by ``tkg:supplements``/``tkg:amends``), ``tkg:shortId "IEA-<n>"``,
  ``dct:title``, ``dct:alternative``, ``tkg:adoptedOn`` (date concluded), ``tkg:adoptedAt``,
  ``tkg:generalEntryIntoForce`` and ``rdfs:seeAlso`` the membership-list URL. A treaty-level
  termination (``Term Date``/``Term Type``/``Term by ID``) is kept as an ``rdfs:comment``:
  the ontology has no term for it and the derivation does not need one to read the acts.
  A parent that ``AmendProtToA`` names but the file does not list (IEA# 2915, 4245: not in
  the copied subset) is not claimed as a ``tkg:Treaty``, since the file gives nothing but its
  number; the link is kept as an ``rdfs:comment`` naming it. Protocols and
  amendments whose ``AmendProtToA`` is empty (or their own number) name no parent. ``Lineage``
  and ``Sequence in lineage`` group a family of agreements but do not say which member a
  protocol belongs to: reading the member numbered N00.000 as the parent of N01.000 or N00.010
  contradicts ``AmendProtToA`` in 24 of the 406 rows that give a listed parent, so it is not used.
* ``memberships.trig``: graph ``graph/ieadb/memberships/2026-01-31`` with its source record,
  every act, and the participating States and organisations.

Everything IEADB states is a secondary source's statement, so every act carries
``tkg:confidence`` medium and every effective date ``tkg:effectiveDateBasis`` secondary-source.

**Dates.** ``Year``/``Month``/``Day``; ``field_date_incomplete_value`` (``1993-**-**``,
``2020-11-**``), where present, says which parts are real (the columns then hold padding);
month or day 0 also mean "not known". Year 1111 (``1111-11-11``) is IEADB's "no date": the act
is still written, with ``tkg:datePrecision`` unknown and ``undated`` in its IRI.

**Participants.** IEADB gives its normalised name (``Country (official name)``) and the name
as entered. The actor is the State that acted: the as-entered name when it resolves to a
former State (ISO 3166-3: USSR, Czechoslovakia, Yugoslavia, GDR ...), since IEADB files
those acts under a successor; but where the successor continues the former State's treaty
status (USSR -> Russian Federation, Serbia and Montenegro -> Serbia) the actor is the
continuator and ``tkg:performedAs`` the former State, and where the former code is only an
earlier name of the same State (Zaire, Burma, Upper Volta, Dahomey ...) the current State.
Otherwise the normalised name, or the as-entered one if only that resolves. Rows whose
participant is ``Agreement`` are treaty-level and skipped. One exception: where, for one
agreement, the current State under whose name IEADB files a former State's rows ends the
participation (a withdrawal or denunciation) without any consent of its own, while those rows
hold a consent, the source shows the current State carried that participation on; the rows
become its acts, ``tkg:performedAs`` the former State (Serbia leaving the GFCM agreement in
2007 that Yugoslavia accepted in 1951).

**Action types** (``Action Type``):

================================================  =============================================
Signature                                         tkg:Signature
Definitive signature                              tkg:DefinitiveSignature
Ratification, Deposit (ratification)              tkg:Ratification
Accession, Adherence, Adhesion, Deposit           tkg:Accession (adherence/adhesion are older
(accession/adhesion/adherence)                    words for accession)
Acceptance, Deposit (acceptance)                  tkg:Acceptance
Approval, Approbation                             tkg:Approval
Succession                                        tkg:Succession
Consent To Be Bound, Deposit (instrument)         tkg:ConsentToBeBound (instrument not named)
Notification                                      tkg:ConsentToBeBound: all are CIS agreements
                                                  entering into force on notification that
                                                  internal procedures are complete
Withdrawal, Withdrawal 2                          tkg:WithdrawalFromTreaty, tkg:date = IEADB's
                                                  date (IEADB mixes notification and effect
                                                  dates here; confidence medium says so).
                                                  By a former State, dated on or after its
                                                  last other act: the end of its participation
                                                  when it ceased to exist (GDR 1990-10-02,
                                                  Czechoslovakia 1992-12-31), a
                                                  tkg:CessationOfParty event, not a
                                                  denunciation. By a participant with a
                                                  signature and no consent before it:
                                                  tkg:WithdrawalOfSignature, tkg:withdraws the
                                                  signature (the United States and the TPP)
Denunciation                                      tkg:Denunciation, tkg:date = notification
Denunciation (effective date)                     tkg:effectiveDate of the Denunciation notified
                                                  on or before it for the same actor and
                                                  treaty; with no such notification, its own
                                                  tkg:Denunciation, undated (datePrecision
                                                  unknown, tkg:dateLatest = the effective date)
Entry into force, Entry Into Force 2/3            tkg:effectiveDate of the latest consent of
                                                  the same actor on or before that date that
                                                  has none yet; with no such consent, a
                                                  tkg:ConsentToBeBound inferred from it:
                                                  undated, tkg:dateLatest and tkg:effectiveDate
                                                  = the entry-into-force date
Waiver (Art.28)                                   tkg:Declaration concerning art. 28 (Tlatelolco
                                                  waiver of the entry-into-force conditions)
Provisional application, Non-provisional          skipped: provisional application is not
application                                       consent to be bound; no class for it
Termination, Partial termination of agreement     skipped: the agreement ended (replaced); not
                                                  an act of the participant (see treaty comment)
Amendment negotiated by members, Not expected     skipped: treaty-level status rows
to enter into force, Not yet in force, Status
follows original agreement
Adoption                                          skipped: adoption of the text is not consent
Cooperating Non-Contracting Party                 skipped: not participation in the treaty
anything else                                     skipped as an unknown action type
================================================  =============================================

Most inferred consents (about 9,500 of 27,000 entry-into-force rows) belong to amendments and
older agreements for which IEADB records only that the instrument entered into force for the
participant (tacit acceptance, entry into force on signature). Keeping them as undated,
medium-confidence consents lets the derivation see the participation; the locator names the
entry-into-force row, so they are never mistaken for a recorded instrument.

Two rows that give the same act (same class, actor and day, e.g. ``Ratification`` and
``Deposit (ratification)``) make one node with both locators; the report counts these merges.

**Conflicting dates.** A signature or consent dated before the agreement's own date (the
memberships file's column ``Signature Date``, the same day the agreements file gives as the date
the agreement was concluded, which is used where the column is empty) is a contradiction
inside the source that it does not resolve (IEA# 8978: signatures 1985-07-10, agreement
1985-10-07). Both dates stay as stated; the act gets ``tkg:dateConfidence`` unconfirmed and an
``rdfs:comment`` naming the other date and where it was read.

**Replaced IRIs.** Where a corrected rule records a row under another node than this importer
first did (a withdrawal that is an end by extinction or a withdrawal of signature, a row moved to
the continuing State), the first IRI is kept as ``owl:deprecated`` with ``rdfs:seeAlso`` the node
that now records the row (IRIs are deprecated, never deleted).
Every skipped row is recorded with the file, the element (treaty, participant, action, date)
and the reason.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from treatykg import iri, names
from treatykg.errors import InputError
from treatykg.importers._tabular import (
    BASIS_SECONDARY,
    CONFIDENCE_MEDIUM,
    PRECISION,
    Doc,
    GraphBuffer,
    PartialDate,
    Skips,
    act_type_slug,
    add_act,
    add_date,
    date_literal,
    participant_iri,
    participant_node,
    read_csv,
)
from treatykg.importers.base import TKG, ImportReport, add_source_record

SOURCE = "ieadb"
STATUS_AS_OF = "2026-01-31"  # the day the data were downloaded from the IEADB site (SOURCE.md)
URL = "https://www.iea.ulaval.ca"
PUBLISHER = "International Environmental Agreements Database Project, hosted by Université Laval"
TERMS = ("All users are required to cite the website: International Environmental Agreements Database "
         "Project, hosted by Université Laval, available at: https://www.iea.ulaval.ca.")

REASONS = {
    "unknown-action": "unknown action type",
    "provisional": "provisional application is not consent to be bound; the ontology has no class for it",
    "termination": "termination of the agreement is not an act of the participant (see the treaty's comment)",
    "treaty-status": "treaty-level status row, not an act of a participant",
    "adoption": "adoption of the text is not consent to be bound",
    "non-contracting": "cooperating non-contracting status is not participation in the treaty",
    "treaty-level": "treaty-level row (participant 'Agreement')",
    "unresolved-name": "participant name does not resolve to a State or organisation",
    "bad-date": "date is not of the form IEADB uses",
    "impossible-date": "date does not exist",
    "eif-undated": "entry into force with an unknown date: nothing to attach",
    "bad-id": "treaty number is not an integer",
    "truncated": "row is cut short (the file is truncated)",
    "malformed-csv": "file is malformed or ends inside a quoted field; the rest of the file is unread",
    "not-utf8": "file is not UTF-8 text",
    "unknown-file": "not an IEADB treaties or memberships file (header not recognised)",
}

# action type -> (kind, class); kinds: act, declaration, den-notice, den-effective, eif, or a skip reason key
_ACTIONS: dict[str, tuple[str, URIRef | None]] = {
    "Signature": ("act", TKG.Signature),
    "Definitive signature": ("act", TKG.DefinitiveSignature),
    "Ratification": ("act", TKG.Ratification),
    "Deposit (ratification)": ("act", TKG.Ratification),
    "Accession": ("act", TKG.Accession),
    "Adherence": ("act", TKG.Accession),
    "Adhesion": ("act", TKG.Accession),
    "Deposit (accession)": ("act", TKG.Accession),
    "Deposit (adhesion)": ("act", TKG.Accession),
    "Deposit (adherence)": ("act", TKG.Accession),
    "Acceptance": ("act", TKG.Acceptance),
    "Deposit (acceptance)": ("act", TKG.Acceptance),
    "Approval": ("act", TKG.Approval),
    "Approbation": ("act", TKG.Approval),
    "Succession": ("act", TKG.Succession),
    "Consent To Be Bound": ("act", TKG.ConsentToBeBound),
    "Deposit (instrument)": ("act", TKG.ConsentToBeBound),
    "Notification": ("act", TKG.ConsentToBeBound),
    "Withdrawal": ("act", TKG.WithdrawalFromTreaty),
    "Withdrawal 2": ("act", TKG.WithdrawalFromTreaty),
    "Denunciation": ("den-notice", TKG.Denunciation),
    "Denunciation (effective date)": ("den-effective", TKG.Denunciation),
    "Entry into force": ("eif", None),
    "Entry Into Force 2": ("eif", None),
    "Entry Into Force 3": ("eif", None),
    "Waiver (Art.28)": ("declaration", TKG.Declaration),
    "Provisional application": ("provisional", None),
    "Non-provisional application": ("provisional", None),
    "Termination": ("termination", None),
    "Partial termination of agreement": ("termination", None),
    "Amendment negotiated by members": ("treaty-status", None),
    "Not expected to enter into force": ("treaty-status", None),
    "Not yet in force": ("treaty-status", None),
    "Status follows original agreement": ("treaty-status", None),
    "Adoption": ("adoption", None),
    "Cooperating Non-Contracting Party": ("non-contracting", None),
}
_DECLARATION_PROVISION = {"Waiver (Art.28)": "article 28"}
_CONSENT = {TKG.Ratification, TKG.Accession, TKG.Succession, TKG.Acceptance, TKG.Approval,
            TKG.DefinitiveSignature, TKG.ConsentToBeBound}
_SIGNATURE_OR_CONSENT = _CONSENT | {TKG.Signature}
# the rows that end a participant's participation
END_ACTIONS = ("Withdrawal", "Withdrawal 2", "Denunciation", "Denunciation (effective date)")
CONFIDENCE_UNCONFIRMED = iri.vocab("confidence", "unconfirmed")

# Former States whose treaty status the named State continues: act by the continuator,
# tkg:performedAs the former State.
CONTINUATORS = {"SUN": "RUS", "SCG": "SRB"}
# ISO 3166-3 codes that are only earlier names of a State that still exists.
EARLIER_NAMES = {"ZAR": "COD", "BUR": "MMR", "HVO": "BFA", "DHY": "BEN", "TMP": "TLS", "BYS": "BLR", "VDR": "VNM"}

TREATY_COLUMNS = ("IEA#", "Agreement Name")
MEMBER_COLUMNS = ("Mitch ID", "Country (official name)", "Country (as entered)", "Action Type", "Year", "Month", "Day")


# ----------------------------------------------------------------------------------------
# rows


def treaty_key(number: str) -> str:
    return f"ieadb-{int(number)}"


def row_date(year: str, month: str, day: str, incomplete: str = "") -> PartialDate | str:
    """The date of an action row, or a reason key."""
    year, month, day, incomplete = (x.strip() for x in (year, month, day, incomplete or ""))
    if year == "1111" or incomplete.startswith("1111"):
        return PartialDate.unknown()
    try:
        if incomplete:
            m = re.fullmatch(r"(\d{4})-(\d{2}|\*\*)-(\d{2}|\*\*)", incomplete)
            if not m:
                return "bad-date"
            y, mo, d = m.groups()
            if mo == "**":
                return PartialDate("year", int(y))
            if d == "**":
                return PartialDate("month", int(y), int(mo))
            return PartialDate("day", int(y), int(mo), int(d))
        if not re.fullmatch(r"\d{4}", year) or not month.isdigit() or not day.isdigit():
            return "bad-date"
        y, mo, d = int(year), int(month), int(day)
        if mo == 0:
            return PartialDate("year", y)
        if d == 0:
            return PartialDate("month", y, mo)
        return PartialDate("day", y, mo, d)
    except ValueError:
        return "impossible-date"


def iso_date(text: str) -> PartialDate | None | str:
    """A treaty-file date: None for IEADB's 1111 placeholder or empty; a reason key if bad."""
    text = (text or "").strip()
    if not text or text.startswith("1111"):
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return "bad-date"
    try:
        return PartialDate("day", *map(int, m.groups()))
    except ValueError:
        return "impossible-date"


@dataclass(frozen=True)
class Actor:
    participant: names.Participant
    spelling: str
    performed_as: names.Participant | None = None
    performed_as_spelling: str | None = None


@lru_cache(maxsize=4096)
def resolve_actor(official: str, entered: str) -> tuple[Actor | None, bool]:
    """The actor of a row (see the module docstring) and whether the two names resolve to
    different current States (IEADB's normalised name is then used)."""
    po = names.resolve(official) if official.strip() else None
    pe = names.resolve(entered) if entered.strip() else None
    if pe is not None and pe.kind == "state" and names.is_former_state(pe.code):
        if pe.code in EARLIER_NAMES and po is not None and po.code == EARLIER_NAMES[pe.code]:
            return Actor(po, official), False
        if po is not None and CONTINUATORS.get(pe.code) == po.code:
            return Actor(po, official, pe, entered), False
        if pe.code not in EARLIER_NAMES:
            return Actor(pe, entered), False
    if po is not None:
        return Actor(po, official), bool(pe is not None and pe.code != po.code and pe.kind == po.kind == "state")
    if pe is not None:
        return Actor(pe, entered), False
    return None, False


@dataclass
class Row:
    kind: str
    cls: URIRef | None
    action: str
    actor: Actor
    when: PartialDate
    file: str
    element: str
    provision: str | None = None
    official: names.Participant | None = None  # what IEADB's normalised name resolves to
    official_spelling: str = ""
    signature_date: PartialDate | None = None  # the agreement's date (column 'Signature Date')
    filed_under: str | None = None  # the former State's code, when moved to its continuator

    @property
    def locator(self) -> str:
        return f"{self.file} {self.element}"

    @property
    def is_consent(self) -> bool:
        """A consent row, or a dated entry into force (which gives or infers a consent)."""
        return (self.kind == "act" and self.cls in _CONSENT) or (self.kind == "eif" and self.when.known)

    def not_after(self, other: "Row") -> bool:
        """This row may be dated on or before ``other`` (an unknown date may be)."""
        return not self.when.known or not other.when.known or self.when.earliest <= other.when.latest


@dataclass
class ActState:
    cls: URIRef
    when: PartialDate
    has_effective: bool = False
    latest: _dt.date | None = None  # the latest possible day of the act (tkg:date or tkg:dateLatest)


@dataclass
class Group:
    treaty_key: str
    actor_code: str
    rows: list[Row] = field(default_factory=list)


# ----------------------------------------------------------------------------------------
# the import


def _classify_files(paths: list[Path], skips: Skips) -> tuple[Path | None, Path | None]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.glob("*.csv"))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    treaties = members = None
    for f in files:
        try:
            with open(f, encoding="utf-8-sig") as fh:
                header = fh.readline()
        except UnicodeDecodeError:
            skips.add(f.name, "whole file", "not-utf8")
            continue
        if all(c in header for c in MEMBER_COLUMNS):
            members = f
        elif all(c in header for c in TREATY_COLUMNS):
            treaties = f
        else:
            skips.add(f.name, "whole file", "unknown-file")
    return treaties, members


def _read(path: Path, skips: Skips):
    try:
        data = read_csv(path)
    except UnicodeDecodeError:
        skips.add(path.name, "whole file", "not-utf8")
        return None
    if data.error:
        skips.add(path.name, "rest of file", "malformed-csv", data.error)
    return data


def run(paths: list[Path], out_dir: Path) -> ImportReport:
    report = ImportReport(SOURCE)
    skips = Skips(report, REASONS)
    treaties_file, members_file = _classify_files([Path(p) for p in paths], skips)
    if treaties_file is None and members_file is None:
        raise InputError("ieadb: no IEADB treaties or memberships CSV among the inputs")
    out_dir = Path(out_dir)
    concluded: dict[str, tuple[PartialDate, str]] = {}
    if treaties_file is not None:
        doc = Doc()
        concluded = _import_treaties(doc, treaties_file, skips, report)
        report.written.append(doc.write(out_dir / "treaties.trig"))
    if members_file is not None:
        doc = Doc()
        _import_memberships(doc, members_file, skips, report, concluded)
        report.written.append(doc.write(out_dir / "memberships.trig"))
    return report


def _import_treaties(doc: Doc, path: Path, skips: Skips, report: ImportReport) -> dict[str, tuple[PartialDate, str]]:
    """Write the agreements; return each one's date of conclusion with where it was read."""
    data = _read(path, skips)
    concluded: dict[str, tuple[PartialDate, str]] = {}
    if data is None:
        return concluded
    key = f"ieadb/treaties/{STATUS_AS_OF}"
    g = doc.graph(iri.named_graph(key))
    record = iri.source(key)
    cols = {h.strip(): i for i, h in enumerate(data.header)}
    rows = data.rows
    if data.last_row_cut and rows:
        skips.add(path.name, f"row for IEA# {rows[-1][0]}", "truncated")
        rows = rows[:-1]
    about = []
    # the agreements the file lists: a parent named in AmendProtToA but not listed is not
    # claimed as a tkg:Treaty (the file gives nothing but its number)
    listed = {int(r[cols["IEA#"]].strip()) for r in rows
              if len(r) >= len(data.header) and r[cols["IEA#"]].strip().isdigit()}
    for row in rows:
        get = lambda c: row[cols[c]].strip() if c in cols and cols[c] < len(row) else ""  # noqa: E731
        number = get("IEA#")
        element = f"row for IEA# {number or '?'}"
        if len(row) < len(data.header):
            skips.add(path.name, element, "truncated", f"{len(row)} of {len(data.header)} cells")
            continue
        if not number.isdigit():
            skips.add(path.name, element, "bad-id", repr(number))
            continue
        tkey = treaty_key(number)
        t = iri.treaty(tkey)
        about.append(t)
        kind = get("Agreement Type Level 3")
        parent = get("AmendProtToA")
        cls = TKG.Treaty
        if kind == "Protocol":
            cls = TKG.Protocol
        elif kind.startswith("Amendment"):
            cls = TKG.AmendingProtocol
        g.add((t, RDF.type, cls))
        if cls != TKG.Treaty and parent.isdigit() and int(parent) != int(number):
            if int(parent) in listed:
                g.add((t, TKG.supplements if cls == TKG.Protocol else TKG.amends, iri.treaty(treaty_key(parent))))
            else:
                g.add((t, RDFS.comment, Literal(
                    f"IEADB: {'protocol to' if cls == TKG.Protocol else 'amends'} IEA# {int(parent)} "
                    f"({iri.treaty(treaty_key(parent))}), an agreement {path.name} does not list "
                    "(no title or dates for it): the link is not asserted", lang="en")))
                report.count("protocols whose parent (AmendProtToA) the file does not list: link kept as a comment")
        g.add((t, TKG.shortId, Literal(f"IEA-{int(number)}")))
        title = get("Agreement Name")
        if title:
            g.add((t, DCTERMS.title, Literal(title)))
        for alt in sorted({a.strip() for a in get("Alternative Treaty Name").split(";")} - {"", title}):
            g.add((t, DCTERMS.alternative, Literal(alt)))
        for column, prop in (("Date IEA was concluded", TKG.adoptedOn), ("Date IEA entered into force", TKG.generalEntryIntoForce)):
            d = iso_date(get(column))
            if isinstance(d, str):
                skips.add(path.name, f"{element}, column {column!r}", d, repr(get(column)))
            elif d is not None:
                g.add((t, prop, date_literal(d.earliest)))
                if prop == TKG.adoptedOn:
                    concluded[tkey] = (d, f"{path.name}, column {column!r}")
        if get("Place IEA was concluded"):
            g.add((t, TKG.adoptedAt, Literal(get("Place IEA was concluded"))))
        note = _termination_note(get("Term Date"), get("Term Type"), get("Term by ID"))
        if note:
            g.add((t, RDFS.comment, Literal(note, lang="en")))
        url = get("URL to membership list")
        if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
            g.add((t, RDFS.seeAlso, URIRef(url)))
        g.add((t, PROV.wasDerivedFrom, record))
        g.add((t, TKG.sourceLocator, Literal(f"{path.name} {element}")))
        report.count("treaties")
    add_source_record(
        g, record, url=URL, title="IEADB agreements (db_treaties.csv), multilateral environmental agreements",
        publisher=PUBLISHER, status_as_of=STATUS_AS_OF, retrieved_on=STATUS_AS_OF, about=about,
    )
    g.add((record, DCTERMS.rights, Literal(TERMS, lang="en")))
    return concluded


def _termination_note(date: str, kind: str, by: str) -> str | None:
    d = iso_date(date)
    parts = []
    if isinstance(d, PartialDate):
        parts.append(f"terminated on {d.key}")
    if kind:
        parts.append(kind)
    if by.strip().isdigit():
        parts.append(f"terminated by IEA# {int(by)} ({iri.treaty(treaty_key(by))})")
    return ("IEADB: " + "; ".join(parts)) if parts else None


def _import_memberships(doc: Doc, path: Path, skips: Skips, report: ImportReport,
                        concluded: dict[str, tuple[PartialDate, str]] | None = None) -> None:
    data = _read(path, skips)
    if data is None:
        return
    key = f"ieadb/memberships/{STATUS_AS_OF}"
    g = doc.graph(iri.named_graph(key))
    record = iri.source(key)
    cols = {h.strip(): i for i, h in enumerate(data.header)}
    missing = [c for c in MEMBER_COLUMNS if c not in cols]
    if missing:
        raise InputError(f"{path}: memberships file lacks the columns {', '.join(missing)}")
    rows = data.rows
    if data.last_row_cut and rows:
        last = rows[-1]
        skips.add(path.name, _element(cols, last), "truncated", "the file does not end with a newline")
        rows = rows[:-1]

    groups: dict[tuple[str, str], Group] = {}
    disagreements = 0
    for row in rows:
        element = _element(cols, row)
        if len(row) < len(data.header):
            skips.add(path.name, element, "truncated", f"{len(row)} of {len(data.header)} cells")
            continue
        get = lambda c: row[cols[c]].strip() if c in cols else ""  # noqa: E731
        action = get("Action Type")
        kind, cls = _ACTIONS.get(action, ("unknown-action", None))
        if kind in REASONS:
            skips.add(path.name, element, kind, repr(action) if kind == "unknown-action" else None)
            continue
        number = get("Mitch ID")
        if not number.isdigit():
            skips.add(path.name, element, "bad-id", repr(number))
            continue
        official, entered = get("Country (official name)"), get("Country (as entered)")
        if official == "Agreement" or entered == "Agreement":
            skips.add(path.name, element, "treaty-level")
            continue
        actor, disagree = resolve_actor(official, entered)
        if actor is None:
            skips.add(path.name, element, "unresolved-name", repr(official if official == entered else f"{official} / {entered}"))
            report.count(f"unresolved name: {official}")
            continue
        disagreements += disagree
        when = row_date(get("Year"), get("Month"), get("Day"), get("field_date_incomplete_value"))
        if isinstance(when, str):
            skips.add(path.name, element, when)
            continue
        tkey = treaty_key(number)
        gk = (tkey, actor.participant.code)
        grp = groups.setdefault(gk, Group(tkey, actor.participant.code))
        signed = iso_date(get("Signature Date"))
        grp.rows.append(Row(kind, cls, action, actor, when, path.name, element, _DECLARATION_PROVISION.get(action),
                            official=names.resolve(official) if official else None, official_spelling=official,
                            signature_date=signed if isinstance(signed, PartialDate) else None))
    if disagreements:
        report.count("rows whose normalised and as-entered names resolve to different States (normalised used)", disagreements)
    _continue_under_successors(groups, report)
    last_acts = _last_acts_of_former_states(groups)

    participants: dict[URIRef, tuple[names.Participant, str]] = {}
    treaties: set[str] = set()
    for gk in sorted(groups):
        _emit_group(g, groups[gk], record, skips, report, participants, last_acts, (concluded or {}).get(gk[0]))
        treaties.add(gk[0])
    for node, (p, spelling) in sorted(participants.items(), key=lambda x: (str(x[0]), x[1][1])):
        participant_node(g, p, spelling)
    for tkey in sorted(treaties):
        t = iri.treaty(tkey)
        g.add((t, RDF.type, TKG.Treaty))
        g.add((t, TKG.shortId, Literal(f"IEA-{tkey.split('-', 1)[1]}")))
    report.count("treaties with acts", len(treaties))
    report.count("states", len({p.code for p, _ in participants.values() if p.kind == "state"}))
    add_source_record(
        g, record, url=URL, title="IEADB membership actions (db_members.csv), multilateral environmental agreements",
        publisher=PUBLISHER, status_as_of=STATUS_AS_OF, retrieved_on=STATUS_AS_OF,
        about=[iri.treaty(t) for t in sorted(treaties)],
    )
    g.add((record, DCTERMS.rights, Literal(TERMS, lang="en")))


def _is_former_state(code: str, p: names.Participant) -> bool:
    return p.kind == "state" and names.is_former_state(code)


def _continue_under_successors(groups: dict[tuple[str, str], Group], report: ImportReport) -> None:
    """Rows of a former State that IEADB files under a current State (its normalised name)
    belong to the former State (see the module docstring), unless the source shows that the
    current State carried that participation on: it ends the participation (a withdrawal or
    denunciation) and has no consent of its own, while the former State's rows filed under it
    hold a consent before that end. Those rows then become the current State's acts,
    ``tkg:performedAs`` the former State (Serbia withdrawing in 2007 from the GFCM agreement that
    Yugoslavia accepted in 1951)."""
    by_treaty: dict[str, list[Group]] = defaultdict(list)
    for (tkey, _), grp in sorted(groups.items()):
        by_treaty[tkey].append(grp)
    for tkey, grps in by_treaty.items():
        for gx in grps:
            if not gx.rows or _is_former_state(gx.actor_code, gx.rows[0].actor.participant):
                continue
            ends = [r for r in gx.rows if r.action in END_ACTIONS]
            if not ends or any(r.is_consent for r in gx.rows):
                continue
            for gf in grps:
                if gf is gx or not gf.rows or not _is_former_state(gf.actor_code, gf.rows[0].actor.participant):
                    continue
                filed = [r for r in gf.rows if r.official is not None and r.official.code == gx.actor_code
                         and r.actor.performed_as is None]
                if not any(r.is_consent and any(r.not_after(e) for e in ends) for r in filed):
                    continue
                for r in filed:
                    gf.rows.remove(r)
                    gx.rows.append(replace(r, actor=Actor(r.official, r.official_spelling, r.actor.participant, r.actor.spelling),
                                           filed_under=gf.actor_code))
                report.count("rows of a former State moved to the State that continued its participation "
                             "(it ends that participation with no consent of its own)", len(filed))
    for gk in [k for k, grp in groups.items() if not grp.rows]:
        del groups[gk]


def _last_acts_of_former_states(groups: dict[tuple[str, str], Group]) -> dict[str, _dt.date]:
    """For each former State, the latest day of any of its rows other than an end (withdrawal,
    denunciation): the State still existed then."""
    last: dict[str, _dt.date] = {}
    for (_, code), grp in groups.items():
        for r in grp.rows:
            if r.action in END_ACTIONS or not r.when.known or not _is_former_state(code, r.actor.participant):
                continue
            if code not in last or r.when.earliest > last[code]:
                last[code] = r.when.earliest
    return last


def _element(cols: dict[str, int], row: list[str]) -> str:
    def get(c):
        i = cols.get(c)
        return row[i].strip() if i is not None and i < len(row) else "?"

    inc = get("field_date_incomplete_value")
    date = inc if inc not in ("", "?") else f"{get('Year')}-{get('Month')}-{get('Day')}"
    return (f"row for IEA# {get('Mitch ID')}, participant {get('Country (as entered)')!r}, "
            f"action {get('Action Type')!r}, date {date}")


def _emit_group(g: GraphBuffer, grp: Group, record: URIRef, skips: Skips, report: ImportReport,
                participants: dict[URIRef, tuple[names.Participant, str]],
                last_acts: dict[str, _dt.date] | None = None,
                concluded: tuple[PartialDate, str] | None = None) -> None:
    acts: dict[URIRef, ActState] = {}
    replaced: dict[URIRef, URIRef] = {}  # IRI an earlier version of this importer minted -> the node now
    rows = sorted(grp.rows, key=lambda r: (r.when.earliest or r.when.latest or _MAX, r.action, r.locator))

    def note_participants(r: Row) -> URIRef:
        actor = participant_iri(r.actor.participant)
        participants.setdefault(actor, (r.actor.participant, r.actor.spelling))
        if r.actor.performed_as is not None:
            pa = participant_iri(r.actor.performed_as)
            participants.setdefault(pa, (r.actor.performed_as, r.actor.performed_as_spelling))
        return actor

    def write(r: Row, cls: URIRef, when: PartialDate, qualifier: str | None = None) -> URIRef:
        actor = note_participants(r)
        node = add_act(g, treaty_key=grp.treaty_key, actor=actor, actor_code=grp.actor_code, cls=cls, when=when,
                       record=record, locator=r.locator, qualifier=qualifier)
        g.add((node, TKG.confidence, CONFIDENCE_MEDIUM))
        if r.actor.performed_as is not None:
            g.add((node, TKG.performedAs, participant_iri(r.actor.performed_as)))
        if node in acts:
            report.count(f"rows merged into an existing act: {r.action}")
        else:
            acts[node] = ActState(cls, when, latest=when.latest)
            report.count(f"acts: {_local(cls)}")
        if r.filed_under is not None:
            replaced[iri.act(grp.treaty_key, r.filed_under, act_type_slug(cls), when.key, qualifier)] = node
        return node

    def undated(cls: URIRef, r: Row, qualifier_date: PartialDate) -> URIRef:
        base = iri.act(grp.treaty_key, grp.actor_code, act_type_slug(cls), None)
        q = None if base not in acts else f"effective-{qualifier_date.key or 'unknown'}"
        return write(r, cls, PartialDate.unknown(), q)

    def end_by_extinction(r: Row) -> URIRef:
        """The end of a former State's participation when it ceased to exist: a
        tkg:CessationOfParty status event, not an act of the State."""
        actor = note_participants(r)
        node = iri.event("cessation-of-party", grp.actor_code, grp.treaty_key, r.when.key)
        g.add((node, RDF.type, TKG.CessationOfParty))
        g.add((node, TKG.actor, actor))
        g.add((node, TKG.treaty, iri.treaty(grp.treaty_key)))
        add_date(g, node, r.when)
        g.add((node, TKG.confidence, CONFIDENCE_MEDIUM))
        g.add((node, PROV.wasDerivedFrom, record))
        g.add((node, TKG.sourceLocator, Literal(r.locator)))
        g.add((node, RDFS.comment, Literal(
            f"IEADB records a {r.action!r} of {r.actor.spelling}, a State that no longer exists, on or after "
            "its last recorded act: the end of its participation when the State ceased to exist "
            "(dissolution or unification), not a denunciation by it", lang="en")))
        if node in acts:
            report.count(f"rows merged into an existing act: {r.action}")
        else:
            acts[node] = ActState(TKG.CessationOfParty, r.when, latest=r.when.latest)
            report.count("status events: CessationOfParty (a former State's participation ends with the State)")
        replaced[iri.act(grp.treaty_key, grp.actor_code, act_type_slug(TKG.WithdrawalFromTreaty), r.when.key)] = node
        return node

    def implied_consent(r: Row) -> None:
        """A withdrawal presupposes a participation the source does not record: a consent of
        unknown form and date, between the agreement's own date (if known) and the withdrawal,
        date unconfirmed, sourced to the withdrawal's row."""
        lo = concluded[0].earliest if concluded is not None and concluded[0].known else None
        hi = r.when.latest
        node = iri.act(grp.treaty_key, grp.actor_code, act_type_slug(TKG.ConsentToBeBound), "undated")
        g.add((node, RDF.type, TKG.ConsentToBeBound))
        g.add((node, TKG.actor, participant_iri(r.actor.participant)))
        g.add((node, TKG.treaty, iri.treaty(grp.treaty_key)))
        g.add((node, TKG.datePrecision, PRECISION["unknown"]))
        if lo is not None:
            g.add((node, TKG.dateEarliest, date_literal(lo)))
        if hi is not None:
            g.add((node, TKG.dateLatest, date_literal(hi)))
        g.add((node, TKG.confidence, CONFIDENCE_MEDIUM))
        g.add((node, TKG.dateConfidence, CONFIDENCE_UNCONFIRMED))
        g.add((node, PROV.wasDerivedFrom, record))
        g.add((node, TKG.sourceLocator, Literal(r.locator)))
        g.add((node, RDFS.comment, Literal(
            "Not a row of IEADB: the participant's withdrawal (same row) presupposes that it had consented to "
            "be bound; the source gives neither the form nor the date of that consent, only that it came "
            "before the withdrawal" + (" and not before the agreement's own date" if lo is not None else ""),
            lang="en")))
        report.count("consents implied by a withdrawal (form and date unknown)")

    def signatures_before(r: Row) -> list[Row]:
        return [x for x in rows if x.kind == "act" and x.cls == TKG.Signature and x.not_after(r)]

    # 1. acts that stand on their own row
    for r in rows:
        if r.kind in ("act", "declaration", "den-notice"):
            cls, withdrawn = r.cls, None
            if cls == TKG.WithdrawalFromTreaty:
                p0 = r.actor.participant
                if (last_acts is not None and _is_former_state(grp.actor_code, p0) and r.when.known
                        and r.when.earliest >= last_acts.get(grp.actor_code, _dt.date.min)):
                    end_by_extinction(r)
                    continue
                if not any(x.is_consent and x.not_after(r) for x in rows):
                    sigs = signatures_before(r)
                    if sigs:
                        # a signatory that never consented withdraws: its signature
                        cls = TKG.WithdrawalOfSignature
                        s = max(sigs, key=lambda x: (x.when.earliest or _dt.date.min, x.locator))
                        withdrawn = iri.act(grp.treaty_key, grp.actor_code, act_type_slug(TKG.Signature), s.when.key)
            q = None
            if r.provision:
                q = iri.provision(grp.treaty_key, r.provision).rsplit("/", 1)[-1]
            node = write(r, cls, r.when, q)
            if withdrawn is not None:
                g.add((node, TKG.withdraws, withdrawn))
                replaced[iri.act(grp.treaty_key, grp.actor_code, act_type_slug(TKG.WithdrawalFromTreaty), r.when.key, q)] = node
            elif cls == TKG.WithdrawalFromTreaty and not any(x.is_consent or (x.kind == "act" and x.cls == TKG.Signature) for x in rows):
                g.add((node, RDFS.comment, Literal(
                    "IEADB records this withdrawal but no signature or consent of the participant for the agreement",
                    lang="en")))
                report.count("withdrawals by a participant with no recorded signature or consent")
                implied_consent(r)
            if r.provision:
                p = iri.provision(grp.treaty_key, r.provision)
                g.add((p, RDF.type, TKG.Provision))
                g.add((p, TKG.provisionOf, iri.treaty(grp.treaty_key)))
                g.add((node, TKG.concernsProvision, p))

    def attach(node: URIRef, r: Row) -> None:
        add_date(g, node, r.when, "effectiveDate")
        g.add((node, TKG.effectiveDateBasis, BASIS_SECONDARY))
        g.add((node, TKG.sourceLocator, Literal(r.locator)))
        acts[node].has_effective = True

    def best(candidates: list[URIRef]) -> URIRef | None:
        dated = [c for c in candidates if acts[c].when.known]
        if dated:
            return max(dated, key=lambda c: (acts[c].when.earliest, str(c)))
        return min(candidates, key=str) if candidates else None

    def before(c: URIRef, r: Row) -> bool:
        w = acts[c].when
        return not w.known or not r.when.known or w.earliest <= r.when.latest

    # 2. denunciations: an effective-date row completes the notification before it
    for r in rows:
        if r.kind != "den-effective":
            continue
        cands = [c for c, s in acts.items() if s.cls == TKG.Denunciation and not s.has_effective and before(c, r)]
        node = best(cands)
        if node is not None:
            attach(node, r)
            report.count("denunciation effective-date rows paired with their notification")
            continue
        node = undated(TKG.Denunciation, r, r.when)
        if r.when.known:
            g.add((node, TKG.dateLatest, date_literal(r.when.latest)))
            acts[node].latest = r.when.latest
        attach(node, r)
        report.count("denunciations known only by their effective date")

    # 3. entry into force for the participant: the effective date of its consent
    for r in rows:
        if r.kind != "eif":
            continue
        if not r.when.known:
            skips.add(r.file, r.element, "eif-undated")
            continue
        cands = [c for c, s in acts.items() if s.cls in _CONSENT and not s.has_effective and before(c, r)]
        node = best(cands)
        if node is not None:
            attach(node, r)
            report.count("entry-into-force rows attached to a consent")
            continue
        node = undated(TKG.ConsentToBeBound, r, r.when)
        g.add((node, TKG.dateLatest, date_literal(r.when.latest)))
        acts[node].latest = r.when.latest
        attach(node, r)
        report.count("consents inferred from an entry-into-force row")

    # 4. a signature or consent dated before the agreement's own date: the source contradicts
    # itself and does not say which date is right; both stay as stated, the act's date is
    # marked unconfirmed and the conflict named
    signed = next(((r.signature_date, f"{r.file}, column 'Signature Date'") for r in rows
                   if r.signature_date is not None), None) or concluded
    if signed is not None and concluded is not None and signed is not concluded and concluded[0] == signed[0]:
        signed = (signed[0], f"{signed[1]}, and {concluded[1]}")
    if signed is not None:
        day, where = signed
        for node, st in sorted(acts.items()):
            if st.cls in _SIGNATURE_OR_CONSENT and st.latest is not None and st.latest < day.earliest:
                g.add((node, TKG.dateConfidence, CONFIDENCE_UNCONFIRMED))
                g.add((node, RDFS.comment, Literal(
                    f"IEADB dates this act {st.when.key or 'on or before ' + st.latest.isoformat()}, before the "
                    f"agreement's own date {day.key} ({where}). The source does not say which is right: both are "
                    "kept as stated and the act's date is unconfirmed", lang="en")))
                report.count("signatures and consents dated before the agreement's own date (date unconfirmed)")

    # 5. IRIs an earlier version of this importer minted for these rows stay, deprecated,
    # pointing to the node that now records the row
    for old, node in sorted(replaced.items()):
        if old != node and old not in acts:
            g.add((old, OWL.deprecated, Literal(True)))
            g.add((old, RDFS.seeAlso, node))


_MAX = PartialDate("day", 9999, 12, 31).earliest


def _local(cls: URIRef) -> str:
    return str(cls).rsplit("#", 1)[-1]

