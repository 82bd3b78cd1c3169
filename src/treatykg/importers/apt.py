"""Import the APT (Association for the Prevention of Torture) torture-prevention indicators.

Input: ``APT_data_cleaned.csv`` (``Region, Country, Indicator, Input, Date``) or its folder.
Output: ``<out_dir>/apt.trig``, one named graph
``graph/apt/torture-prevention-indicators/2024-12-02`` with its source record (the file in
``coriander31415/APT_VFSG`` at commit 2cde502 of 2024-12-02, which is also the date the data
speak for: the file prints none), the facts below and the States they concern.

APT is one secondary source and gives **years only** (``YYYY-01-01`` stands for the year), so
every fact carries ``tkg:confidence`` medium and year precision; no day is ever taken from
the ``-01-01``. Only ``Input`` 1 makes a fact; 0 (no) and empty (not applicable/unknown)
make none and are counted.

=====================================================  =========================================
indicator                                              treatment
=====================================================  =========================================
Ratification of the UN Convention against Torture      tkg:ConsentToBeBound to ``untc-IV-9``,
                                                       IRI date segment the year,
                                                       datePrecision year. APT does not say
                                                       ratification or accession, so the
                                                       superclass; the ``source-conflicts``
                                                       check compares it with the UNTC acts.
Ratification of Optional Protocol (OPCAT)              the same for ``untc-IV-9-b``
Submission of initial report to CAT                    tkg:MonitoringDocument
                                                       ``id/document/un-cat/initial-report-<ISO>``:
                                                       documentType state-report, issuedBy and
                                                       concernsState the State, underProcedure
                                                       ``procedure/untc-IV-9/state-reporting``,
                                                       publishedOn bounded by the year (the year
                                                       APT gives for the submission)
Prohibition of torture in the constitution,            not imported: the ontology has no term
Criminalisation of torture under domestic law,         for domestic law, NPMs or NHRIs; one skip
Designation / Operationality of the National           line per indicator with its counts
Preventive Mechanism, Existence of a Paris-Principles
NHRI
=====================================================  =========================================

Unknown indicators, unresolved country names, an ``Input`` other than 0, 0.5, 1 or empty
(0.5, "partial", means nothing for the imported indicators) and bad dates are skipped with
the file, the row (country and indicator) and the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from treatykg import iri, names
from treatykg.errors import InputError
from treatykg.importers._tabular import (
    CONFIDENCE_MEDIUM,
    Doc,
    PartialDate,
    Skips,
    add_act,
    add_date,
    participant_node,
    read_csv,
)
from treatykg.importers.base import TKG, ImportReport, add_source_record

SOURCE = "apt"
STATUS_AS_OF = "2024-12-02"
URL = ("https://github.com/coriander31415/APT_VFSG/blob/2cde502f0fb280e56904ed9dec04d05f603a7521/"
       "data/processed/APT_data_cleaned.csv")
PUBLISHER = "Association for the Prevention of Torture (APT), via Viz for Social Good (coriander31415/APT_VFSG)"
TITLE = "APT torture-prevention indicators (APT_data_cleaned.csv)"
CAT = "untc-IV-9"
OPCAT = "untc-IV-9-b"
CAT_BODY = "un-cat"

REASONS = {
    "unknown-indicator": "indicator this importer does not know",
    "unsupported-indicator": "the ontology has no term for this indicator (domestic law, NPM or NHRI); not imported",
    "partial-input": "input 0.5 (partial) has no meaning for this indicator",
    "bad-input": "input is not 0, 0.5, 1 or empty",
    "bad-date": "date is not of the form YYYY-MM-DD",
    "unresolved-name": "country name does not resolve to a State",
    "truncated": "row is cut short (the file is truncated)",
    "malformed-csv": "file is malformed or ends inside a quoted field; the rest of the file is unread",
    "not-utf8": "file is not UTF-8 text",
}

# normalised indicator label -> (kind, treaty key)
INDICATORS = {
    "ratification of the un convention against torture": ("consent", CAT),
    "ratification of optional protocol (opcat)": ("consent", OPCAT),
    "submission of initial report to cat": ("initial-report", CAT),
    "prohibition of torture in the constitution": ("unsupported", None),
    "criminalisation of torture under domestic law": ("unsupported", None),
    "designation of the national preventive mechanism (in law)": ("unsupported", None),
    "operationality of the national preventive mechanism": ("unsupported", None),
    "existence of national human rights institution that fully complies with paris principles": ("unsupported", None),
}
COLUMNS = ("Country", "Indicator", "Input", "Date")


def _norm_indicator(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().lower())


def _input(text: str) -> float | None | str:
    t = text.strip()
    if not t:
        return None
    try:
        v = float(t)
    except ValueError:
        return "bad-input"
    return v if v in (0.0, 0.5, 1.0) else "bad-input"


def _year(text: str) -> PartialDate | str:
    t = text.strip()
    if not t:
        return PartialDate.unknown()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if not m:
        return "bad-date"
    return PartialDate("year", int(m.group(1)))


def _files(paths: list[Path]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(p.glob("*.csv"))
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    if not out:
        raise InputError("apt: no CSV file among the inputs")
    return out


def run(paths: list[Path], out_dir: Path) -> ImportReport:
    report = ImportReport(SOURCE)
    skips = Skips(report, REASONS)
    doc = Doc()
    key = f"apt/torture-prevention-indicators/{STATUS_AS_OF}"
    g = doc.graph(iri.named_graph(key))
    record = iri.source(key)
    add_source_record(g, record, url=URL, title=TITLE, publisher=PUBLISHER, status_as_of=STATUS_AS_OF,
                      about=[iri.treaty(CAT), iri.treaty(OPCAT)])
    unsupported: dict[tuple[str, str], Counter] = {}
    states: set[str] = set()
    for path in _files(paths):
        try:
            data = read_csv(path)
        except UnicodeDecodeError:
            skips.add(path.name, "whole file", "not-utf8")
            continue
        if data.error:
            skips.add(path.name, "rest of file", "malformed-csv", data.error)
        cols = {h.strip(): i for i, h in enumerate(data.header)}
        missing = [c for c in COLUMNS if c not in cols]
        if missing:
            raise InputError(f"{path}: APT file lacks the columns {', '.join(missing)}")
        rows = data.rows
        if data.last_row_cut and rows:
            skips.add(path.name, _element(cols, rows[-1]), "truncated", "the file does not end with a newline")
            rows = rows[:-1]
        for row in rows:
            element = _element(cols, row)
            if len(row) < len(data.header):
                skips.add(path.name, element, "truncated", f"{len(row)} of {len(data.header)} cells")
                continue
            get = lambda c: row[cols[c]]  # noqa: E731
            label = get("Indicator").strip()
            kind, treaty_key = INDICATORS.get(_norm_indicator(label), ("unknown", None))
            if kind == "unknown":
                skips.add(path.name, element, "unknown-indicator", repr(label))
                continue
            value = _input(get("Input"))
            if kind == "unsupported":
                tally = unsupported.setdefault((path.name, label), Counter())
                tally["input 1" if value == 1.0 else "input 0.5" if value == 0.5 else "input 0" if value == 0.0
                      else "empty" if value is None else "bad input"] += 1
                continue
            if value == "bad-input":
                skips.add(path.name, element, "bad-input", repr(get("Input")))
                continue
            if value is None:
                report.count("no fact: input empty (not applicable or unknown)")
                continue
            if value == 0.0:
                report.count("no fact: input 0")
                continue
            if value == 0.5:
                skips.add(path.name, element, "partial-input")
                continue
            when = _year(get("Date"))
            if isinstance(when, str):
                skips.add(path.name, element, when, repr(get("Date")))
                continue
            country = get("Country").strip()
            p = names.resolve(country)
            if p is None or p.kind != "state":
                skips.add(path.name, element, "unresolved-name", repr(country))
                report.count(f"unresolved name: {country}")
                continue
            state = participant_node(g, p, country)
            states.add(p.code)
            locator = f"{path.name} row for {country}, indicator {label!r}"
            if kind == "consent":
                node = add_act(g, treaty_key=treaty_key, actor=state, actor_code=p.code, cls=TKG.ConsentToBeBound,
                               when=when, record=record, locator=locator)
                g.add((node, TKG.confidence, CONFIDENCE_MEDIUM))
                report.count(f"acts: ConsentToBeBound ({'CAT' if treaty_key == CAT else 'OPCAT'})")
            else:
                _initial_report(g, p, state, when, record, locator)
                report.count("monitoring documents: initial report to CAT")
    for file, label in sorted(unsupported):
        tally = unsupported[(file, label)]
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(tally.items()))
        skips.add(file, f"indicator {label!r} ({sum(tally.values())} rows)", "unsupported-indicator", detail)
        report.count("rows of unsupported indicators", sum(tally.values()))
    report.count("states", len(states))
    report.written.append(doc.write(Path(out_dir) / "apt.trig"))
    return report


def _element(cols: dict[str, int], row: list[str]) -> str:
    def get(c):
        i = cols.get(c)
        return row[i].strip() if i is not None and i < len(row) else "?"

    return f"row for {get('Country')}, indicator {get('Indicator')!r}"


def _initial_report(g, p: names.Participant, state: URIRef, when: PartialDate, record: URIRef, locator: str) -> None:
    doc = iri.document(CAT_BODY, f"initial-report-{p.code}")
    g.add((doc, RDF.type, TKG.MonitoringDocument))
    g.add((doc, TKG.documentType, iri.vocab("document-type", "state-report")))
    g.add((doc, TKG.issuedBy, state))
    g.add((doc, TKG.concernsState, state))
    g.add((doc, TKG.underProcedure, iri.procedure(CAT, "state-reporting")))
    g.add((doc, RDFS.label, Literal(f"Initial report of {p.name} to the Committee against Torture", lang="en")))
    add_date(g, doc, when, "publishedOn")
    g.add((doc, TKG.confidence, CONFIDENCE_MEDIUM))
    g.add((doc, PROV.wasDerivedFrom, record))
    g.add((doc, TKG.sourceLocator, Literal(locator)))
