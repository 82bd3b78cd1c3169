"""A seeded generator of synthetic treaty graphs shaped like treatykg's own.

    python bench/generate.py --triples 1M [--seed 7] [--out bench/out/1M]

Writes Turtle in the asserted model of ``ontology/README.md`` (the build derives the status
spans from it with :mod:`treatykg.derive`): real ISO 3166 States (with former States), treaties
with entry-into-force, denunciation and membership clauses, monitoring bodies and oversight
procedures (automatic, opt-in, opt-out), one source record per treaty, and for each
participating State its signature, consent (ratification, accession, succession, ...),
published effective dates, denunciations and re-accessions, declarations accepting opt-in
procedures, reservations excluding opt-out procedures, withdrawals of both, other reservations
and declarations, and partial dates (month, year, unknown) written as Earliest/Latest/Precision.
Council of Europe treaties carry a membership clause and membership losses end them.

**The graph grows by the number of treaties**, as the UN's register does: most treaties are
bilateral (series ``unts``: two States, no monitoring body, in force on signature or after
both consents, now and then terminated by a denunciation), and a tail of multilateral treaties
in the depositaries' series (IEADB, UNTC, Council of Europe) takes its participation,
procedures and acts from the figures measured on the shipped graph below. The multilateral
share (1.6 %) is set so that the whole graph has the issue's ratio of acts to treaties (about
1M acts for 250k treaties: ~4 a treaty). The first two multilateral treaties are always a
Council of Europe treaty with a membership clause (the Russian Federation among its
participants) and a UNTC one, each with an automatic, an opt-in and an opt-out procedure, so
that every feature is present at every size. Generated with seed 7:

| ``--triples`` | treaties (bilateral / multilateral / with procedures) | procedures | acts | participations | quads after the build | procedure spans per State (max / median) |
|---|---|---:|---:|---:|---:|---|
| 1M | 8,838 (8,704 / 134 / 4) | 11 | 35,245 | 23,788 | 1,009,674 | 10 / 4 |
| 10M | 90,268 (88,733 / 1,535 / 19) | 42 | 352,597 | 239,878 | 10,079,695 | 32 / 19 |

In this model a treaty with its source record, clauses, acts and derived spans costs ~110
triples (a bilateral one ~90 by the generator's own estimate), so the issue's 250k treaties
and 1M acts make about 28M triples, not 10M; ``--triples 10M`` gives 90k treaties and 353k
acts. Small sizes are dominated by the two fixed multilateral treaties (10k is the Council of
Europe one alone).

**The shipped graph, measured** (2026-11-25, the cached store the CLI reads: 1.74M triples,
3,483,135 quads with the default-graph union; ``load_graph()``):

* 1,883 treaties (anything with a ``tkg:shortId``): IEADB 1,544, UNTC 324, Council of Europe
  10, IHL 5. Only 18 have exactly two participants: the shipped sources are multilateral
  depositaries, so the bilateral majority of the register is absent from them.
* 27 treaties (1.4 %) have oversight procedures, 47 procedures in all (1 procedure: 16
  treaties, 2: 4, 3: 5, 4: 2), one monitoring body each; modes automatic 31, opt-in 12,
  opt-out 4. By series: UNTC 18 of 324 (5.6 %), CoE 6 of 10, IHL 3 of 5, IEADB none. The 9
  CoE and IHL ones hold the Russian Federation's acts only (curated facts); the 18 UNTC ones
  have 55-200 participants (median 155).
* Participants per treaty (States with any act): 0: 486 treaties, 1: 35, 2: 18, 3-5: 335,
  6-10: 261, 11-20: 207, 21-50: 200, 51-100: 195, 101-150: 60, 151-200: 86 (median 6, mean
  27.8, max 200). Party spans (69,071) give the same figures.
* 76,035 acts: per treaty median 10, mean 40.4, max 1,255; per participation (52,321 State-treaty
  pairs) median 1, mean 1.45 (one act 63 %, two 33 %, more 4 %). Signature 21,037,
  Ratification 16,926, Accession 13,516, ConsentToBeBound 11,012, Acceptance 5,245,
  Declaration 2,246, Succession 1,477, WithdrawalFromTreaty 1,110, Approval 735, Derogation 654,
  Objection 651, DefinitiveSignature 496, Reservation 406, Denunciation 247,
  WithdrawalOfReservation 193. Dates: 14.5 % of acts with precision unknown, 0.4 % year,
  0.02 % month.
* 3,446 procedure spans over 201 States: per State max 32 (FIN, ECU; RUS 31), median 17.
  ``binding-oversight`` on 2026-06-01: RUS 26 rows, FRA 28, DEU 30, GBR 19.
* Derived triples: 14.5 a party span in ``graph/derived`` (with the computed effective dates),
  18.3 a procedure span.

The same seed and size give byte-identical files. ``--triples`` is the target size of the
whole graph *after* derivation (asserted + derived + ontology); the derived part is
estimated while generating (the files' header and ``manifest.json`` give the asserted count;
``bench/run.py`` reports the exact total). Output is split into files of about
``--chunk`` asserted triples, each its own named graph when loaded, as the shipped graph
is split by source; generated data stays under ``bench/out/`` (gitignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ID = "https://w3id.org/treatykg/id/"
V = "https://w3id.org/treatykg/vocab/"

PREFIXES = f"""@base <{ID}> .
@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rule: <{V}date-rule/> .
@prefix from: <{V}count-from/> .
@prefix mode: <{V}acceptance-mode/> .
@prefix kind: <{V}procedure-kind/> .
@prefix prec: <{V}date-precision/> .
@prefix basis: <{V}date-basis/> .
@prefix conf: <{V}confidence/> .
"""

FORMER = ["SUN", "CSK", "YUG", "DDR", "SCG"]
PROCEDURE_KINDS = ["individual-complaints", "inquiry", "inter-state-complaints", "state-reporting",
                   "periodic-visits", "ad-hoc-visits", "collective-complaints", "fact-finding"]
# ---- calibration (measured on the shipped graph, see the module docstring) -----------------
# consent forms in the multilateral tail: the shipped graph's counts (ConsentToBeBound, the
# IEADB's consent of unknown form, left out)
CONSENTS = [("ratification", "Ratification", 16926), ("accession", "Accession", 13516), ("acceptance", "Acceptance", 5245),
            ("succession", "Succession", 1477), ("approval", "Approval", 735), ("definitive-signature", "DefinitiveSignature", 496)]
# participants per multilateral treaty: the shipped graph's histogram ((low, high), treaties),
# without the 0 and 1 buckets (treaties whose status the sources give for no State, or for
# the Russian Federation alone: artefacts of the sample, not of treaties)
MULTI_PARTICIPANTS = [((2, 2), 18), ((3, 5), 335), ((6, 10), 261), ((11, 20), 207), ((21, 50), 200),
                      ((51, 100), 195), ((101, 150), 60), ((151, 200), 86)]
# the 18 UNTC treaties with procedures and full status have 55-200 participants (median 155)
PROCEDURE_TREATY_PARTICIPANTS = [((51, 100), 4), ((101, 150), 5), ((151, 200), 9)]
# share of treaties with a monitoring body and procedures, per series (UNTC 18 of 324, CoE 6
# of 10, IEADB 0 of 1,544); procedures per such treaty (1: 16, 2: 4, 3: 5, 4: 2); modes
PROCEDURE_SHARE = {"untc": 18 / 324, "coe": 6 / 10, "ieadb": 0.0}
PROCEDURES_PER_TREATY = [((1, 1), 16), ((2, 2), 4), ((3, 3), 5), ((4, 4), 2)]
PROCEDURE_MODES = [("automatic", 31), ("opt-in", 12), ("opt-out", 4)]
# the multilateral series (IEADB 1,544, UNTC 324, CoE 10 treaties)
MULTI_SERIES = [("ieadb", 1544), ("untc", 324), ("coe", 10)]
# per participation: a signature in 40 % (21,037 signatures / 52,321 participations), a
# consent in 94 % (49,407), a reservation or declaration on a provision in 6 %
MULTI_SIGNATURE, MULTI_CONSENT, MULTI_OTHER_STATEMENTS = 0.40, 0.944, 0.06
# dates (day, month, year, unknown): the multilateral tail as measured (14.5 % of acts undated,
# 0.4 % to the year, 0.02 % to the month); bilateral treaties carry the dates of signature and
# consent in the registration record (assumed: mostly the day)
DATE_PRECISION_MULTI = (0.851, 0.0002, 0.0044, 0.1444)
DATE_PRECISION_BILATERAL = (0.97, 0.01, 0.015, 0.005)
# the multilateral share of all treaties: set so that the whole graph has the ratio of
# about 4 acts per treaty (1M acts for 250k treaties), the bilateral treaties having 2-4 acts
# and the multilateral tail ~40 (as measured)
MULTILATERAL_SHARE = 0.016
BILATERAL_ON_SIGNATURE = 0.5  # in force on signature (definitive signatures), else signature + consents
BILATERAL_CONSENTS = [("ratification", "Ratification", 60), ("approval", "Approval", 25), ("acceptance", "Acceptance", 15)]
BILATERAL_DENUNCIATION = 0.02
# the first multilateral treaties, whatever the size: a Council of Europe treaty with a
# membership clause and an untc one, each with an automatic, an opt-in and an opt-out procedure
FORCED = ["coe", "untc"]

# derived triples, measured on a generated graph (1M): a party or signatory span ~14, the
# computed effective date of a consent ~4, a procedure span ~17; used only to aim at the
# requested total
DERIVED_PARTY, DERIVED_SIGNATORY, DERIVED_PROC, DERIVED_EFFECT = 14, 14, 17, 4
ONTOLOGY_TRIPLES = 2300


def parse_size(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    mult = 1
    if t.endswith("k"):
        mult, t = 1_000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1_000_000, t[:-1]
    return int(float(t) * mult)


def size_name(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (f"{n // 1000}k" if n % 1000 == 0 else str(n))


def states() -> list[str]:
    import pycountry

    return sorted({c.alpha_3 for c in pycountry.countries} | set(FORMER))


def d(x: dt.date) -> str:
    return f'"{x.isoformat()}"^^xsd:date'


class Writer:
    """Turtle statements into numbered part files, about ``chunk`` triples each."""

    def __init__(self, folder: Path, chunk: int):
        self.folder, self.chunk = folder, chunk
        self.part, self.in_part, self.total = 0, 0, 0
        self.fh = None
        self.files: list[str] = []

    def _open(self):
        if self.fh:
            self.fh.close()
        self.part += 1
        name = f"part-{self.part:04d}.ttl"
        self.files.append(name)
        self.fh = open(self.folder / name, "w", encoding="utf-8", newline="\n")
        self.fh.write(f"# synthetic treatykg data (bench/generate.py), part {self.part}\n{PREFIXES}\n")
        self.in_part = 0

    def node(self, subject: str, props: list[tuple[str, str]]) -> None:
        """One subject with its (predicate, object) pairs, in Turtle."""
        if self.fh is None or self.in_part >= self.chunk:
            self._open()
        body = " ;\n    ".join(f"{p} {o}" for p, o in props)
        self.fh.write(f"<{subject}> {body} .\n")
        self.in_part += len(props)
        self.total += len(props)

    def boundary(self) -> None:
        """A point where a new part may start (keeps one treaty's statements together)."""
        if self.in_part >= self.chunk and self.fh is not None:
            self.fh.close()
            self.fh = None

    def close(self):
        if self.fh:
            self.fh.close()


class Generator:
    def __init__(self, seed: int, target: int, out: Path, chunk: int):
        self.rng = random.Random(seed)
        self.seed, self.target, self.out = seed, target, out
        self.w = Writer(out, chunk)
        self.states = states()
        self.derived = 0
        self.counts = {"treaties": 0, "bilateral_treaties": 0, "multilateral_treaties": 0, "treaties_with_procedures": 0,
                       "procedures": 0, "acts": 0, "participations": 0}
        self.series_n = {"untc": 0, "coe": 0, "ieadb": 0, "unts": 0}
        self.forced = list(FORCED)  # the first multilateral treaties: every feature at every size

    # ---- helpers ---------------------------------------------------------------------
    def rdate(self, lo: dt.date, hi: dt.date) -> dt.date:
        if hi <= lo:
            return lo
        return lo + dt.timedelta(days=self.rng.randrange((hi - lo).days + 1))

    def date_props(self, when: dt.date, weights=DATE_PRECISION_MULTI) -> tuple[list[tuple[str, str]], str]:
        """An act's date as published: the day, or only the month, the year, or nothing (an
        undated act with only an earliest bound), drawn with ``weights`` (day, month, year,
        unknown). Returns the props and the date key of the act's IRI."""
        r = self.rng.random()
        day, month, year, _ = weights
        if r < day:
            return [("tkg:date", d(when))], when.isoformat()
        if r < day + month:
            first = when.replace(day=1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            return [("tkg:dateEarliest", d(first)), ("tkg:dateLatest", d(last)), ("tkg:datePrecision", "prec:month")], when.strftime("%Y-%m")
        if r < day + month + year:
            return [("tkg:dateEarliest", d(dt.date(when.year, 1, 1))), ("tkg:dateLatest", d(dt.date(when.year, 12, 31))),
                    ("tkg:datePrecision", "prec:year")], str(when.year)
        return [("tkg:dateEarliest", d(when)), ("tkg:datePrecision", "prec:unknown")], "undated"

    def act(self, tkey: str, state: str, typ: str, cls: str, when: dt.date, src: str, extra=(), qualifier=None,
            precision=DATE_PRECISION_MULTI) -> str:
        dprops, dkey = self.date_props(when, precision)
        iri = f"act/{tkey}/{state}/{typ}/{dkey}" + (f"/{qualifier}" if qualifier else "")
        props = [("a", f"tkg:{cls}"), ("tkg:actor", f"<state/{state}>"), ("tkg:treaty", f"<treaty/{tkey}>"), *dprops,
                 ("prov:wasDerivedFrom", f"<{src}>"), *extra]
        if self.rng.random() < 0.3:
            props.append(("tkg:sourceLocator", f'"end note {self.rng.randrange(1, 60)}"'))
        if self.rng.random() < 0.02:
            props.append(("tkg:confidence", "conf:unconfirmed"))
        self.w.node(ID + iri, props)
        self.counts["acts"] += 1
        if cls == "Signature":
            self.derived += DERIVED_SIGNATORY
        return iri

    def pick(self, table):
        """A value from a table of ((low, high), weight): a bucket by weight, then uniform in it."""
        (lo, hi), = self.rng.choices([b for b, _ in table], weights=[w for _, w in table])
        return self.rng.randint(lo, hi)

    # ---- the graph -------------------------------------------------------------------
    def header(self):
        w = self.w
        for s in self.states:
            w.node(f"{ID}state/{s}", [("a", "tkg:State"), ("tkg:isoAlpha3", f'"{s}"'), ("rdfs:label", f'"State {s}"')])
        w.node(f"{ID}org/coe", [("a", "tkg:InternationalOrganization"), ("rdfs:label", '"Council of Europe"')])
        src = "source/bench/coe-membership/2026-02-03"
        self.source(src, "Council of Europe membership (synthetic)")
        # membership losses: the Russian Federation (2022-03-16) and two synthetic ones
        for st, when in (("RUS", dt.date(2022, 3, 16)), *((self.rng.choice(self.states), self.rdate(dt.date(1970, 1, 1), dt.date(2024, 12, 31))) for _ in range(2))):
            w.node(f"{ID}event/membership-loss/{st}/coe/{when.isoformat()}",
                   [("a", "tkg:MembershipLoss"), ("tkg:actor", f"<state/{st}>"), ("tkg:organization", "<org/coe>"),
                    ("tkg:date", d(when)), ("prov:wasDerivedFrom", f"<{src}>")])

    def source(self, iri: str, title: str):
        self.w.node(ID + iri, [("a", "tkg:SourceRecord"), ("tkg:url", f"<https://depositary.example.org/{iri}>"),
                               ("tkg:statusAsOf", d(dt.date(2026, 2, 3))), ("dct:title", f'"{title}"'),
                               ("dct:publisher", '"synthetic depositary"')])

    def treaty(self):
        """One treaty: bilateral (most of them) or one of the multilateral tail."""
        if self.forced or self.rng.random() < MULTILATERAL_SHARE:
            self.multilateral()
        else:
            self.bilateral()
        self.counts["treaties"] += 1
        self.w.boundary()

    def clause(self, tkey: str, ck: str, ccls: str, cprops: list) -> str:
        art = self.rng.randrange(10, 60)
        prov_iri = f"treaty/{tkey}/art-{art}"
        self.w.node(ID + prov_iri, [("a", "tkg:Provision"), ("rdfs:label", f'"Article {art}"'), ("tkg:provisionOf", f"<treaty/{tkey}>")])
        self.w.node(f"{ID}treaty/{tkey}/clause/{ck}", [("a", f"tkg:{ccls}"), *cprops, ("tkg:provision", f"<{prov_iri}>")])
        return f"<treaty/{tkey}/clause/{ck}>"

    def bilateral(self):
        """A bilateral treaty registered with the UN (series ``unts``): two States, no
        monitoring body; in force on signature (definitive signatures) or after both
        consents, sometimes terminated by one party's denunciation."""
        rng = self.rng
        self.series_n["unts"] += 1
        n = self.series_n["unts"]
        tkey, short = f"unts-{n}", f"UNTS-{n}"
        src = f"source/bench/{tkey}/2026-02-03"
        self.source(src, f"Registration of treaty {short} (synthetic)")
        pair = rng.sample(self.states, 2)
        signed = self.rdate(dt.date(1946, 1, 1), dt.date(2025, 6, 30))
        end = dt.date(2025, 12, 31)
        props = [("a", "tkg:Treaty"), ("tkg:shortId", f'"{short}"'), ("dct:title", f'"Synthetic bilateral treaty {short}"'),
                 ("tkg:adoptedOn", d(signed)), ("prov:wasDerivedFrom", f"<{src}>")]
        consents: list[dt.date | None] = []
        on_signature = rng.random() < BILATERAL_ON_SIGNATURE
        if on_signature:
            eif_rule = [("tkg:dateRule", "rule:on-date")]
            for st in pair:
                self.act(tkey, st, "definitive-signature", "DefinitiveSignature", signed, src, precision=DATE_PRECISION_BILATERAL)
                consents.append(signed)
        else:
            period = rng.choice(["P30D", "P1M"])
            eif_rule = [("tkg:dateRule", "rule:period-after"), ("tkg:period", f'"{period}"^^xsd:duration')]
            for st in pair:
                self.act(tkey, st, "signature", "Signature", signed, src, precision=DATE_PRECISION_BILATERAL)
            for st in pair:
                if rng.random() < 0.04:  # never consented: the treaty stays out of force
                    consents.append(None)
                    continue
                typ, cls, _ = rng.choices(BILATERAL_CONSENTS, weights=[c[2] for c in BILATERAL_CONSENTS])[0]
                when = self.rdate(signed, min(end, signed + dt.timedelta(days=1100)))
                self.act(tkey, st, typ, cls, when, src, precision=DATE_PRECISION_BILATERAL)
                consents.append(when)
        clauses = [self.clause(tkey, "entry-into-force", "EntryIntoForceClause", eif_rule + [("tkg:countsFrom", "from:deposit")])]
        has_denunciation = rng.random() < 0.5
        if has_denunciation:
            clauses.append(self.clause(tkey, "denunciation", "DenunciationClause", [
                ("tkg:dateRule", "rule:period-after"), ("tkg:period", f'"{rng.choice(["P6M", "P1Y"])}"^^xsd:duration'),
                ("tkg:countsFrom", "from:receipt")]))
        eif = None
        if all(consents):
            eif = max(consents) + (dt.timedelta(days=0) if on_signature else dt.timedelta(days=30))
            if eif <= dt.date(2026, 1, 1):
                props.append(("tkg:generalEntryIntoForce", d(eif)))
            else:
                eif = None
        props += [("tkg:hasClause", c) for c in clauses]
        self.w.node(f"{ID}treaty/{tkey}", props)
        for when in consents:
            self.counts["participations"] += 1
            if when:
                self.derived += DERIVED_PARTY + DERIVED_EFFECT
        # termination by one party's denunciation
        if has_denunciation and eif and rng.random() < BILATERAL_DENUNCIATION:
            den = self.rdate(eif + dt.timedelta(days=365), end + dt.timedelta(days=365 * 5))
            if den <= end:
                self.act(tkey, rng.choice(pair), "denunciation", "Denunciation", den, src, precision=DATE_PRECISION_BILATERAL)
                self.derived += DERIVED_EFFECT
        self.counts["bilateral_treaties"] += 1

    def multilateral(self):
        """A treaty of the multilateral tail, in the depositaries' series (IEADB, UNTC, Council
        of Europe) with the shipped graph's shares; participants and procedures as measured."""
        rng, w = self.rng, self.w
        forced = self.forced.pop(0) if self.forced else None
        series = forced or rng.choices([s for s, _ in MULTI_SERIES], weights=[x for _, x in MULTI_SERIES])[0]
        self.series_n[series] += 1
        n = self.series_n[series]
        if series == "untc":
            chapter = ["IV", "VI", "XVIII", "XXVI", "XXVII"][n % 5]
            tkey, short = f"untc-{chapter}-{n}", f"{chapter}-{n}"
        elif series == "coe":
            tkey, short = f"coe-ets-{n}", f"ETS-{n}"
        else:
            tkey, short = f"ieadb-{n}", f"IEA-{n}"
        src = f"source/bench/{tkey}/2026-02-03"
        self.source(src, f"Status of treaty {short} (synthetic)")
        adopted = self.rdate(dt.date(1949, 1, 1), dt.date(2020, 12, 31))
        in_force = rng.random() < 0.92
        eif = self.rdate(adopted + dt.timedelta(days=90), adopted + dt.timedelta(days=2500)) if in_force else None
        cls = rng.choices(["Treaty", "Protocol", "OptionalProtocol"], weights=[80, 10, 10])[0]
        props = [("a", f"tkg:{cls}"), ("tkg:shortId", f'"{short}"'), ("dct:title", f'"Synthetic treaty {short}"'),
                 ("tkg:adoptedOn", d(adopted)), ("prov:wasDerivedFrom", f"<{src}>")]
        if eif and eif <= dt.date(2026, 1, 1):
            props.append(("tkg:generalEntryIntoForce", d(eif)))
        else:
            eif = None
        clauses = []
        # entry into force
        r = rng.random()
        if r < 0.3:
            eif_rule = [("tkg:dateRule", "rule:on-date")]
        elif r < 0.75:
            eif_rule = [("tkg:dateRule", "rule:period-after"), ("tkg:period", f'"{rng.choice(["P30D", "P3M", "P90D"])}"^^xsd:duration')]
        else:
            eif_rule = [("tkg:dateRule", "rule:first-day-of-month-after-period"), ("tkg:period", '"P3M"^^xsd:duration')]
        clauses.append(("entry-into-force", "EntryIntoForceClause", eif_rule + [("tkg:countsFrom", "from:deposit")]))
        if rng.random() < 0.85:
            if series == "coe":
                den = [("tkg:dateRule", "rule:first-day-of-month-after-period"), ("tkg:period", f'"{rng.choice(["P6M", "P12M"])}"^^xsd:duration')]
            else:
                den = [("tkg:dateRule", "rule:period-after"), ("tkg:period", f'"{rng.choice(["P3M", "P6M", "P1Y"])}"^^xsd:duration')]
            clauses.append(("denunciation", "DenunciationClause", den + [("tkg:countsFrom", "from:receipt")]))
        if series == "coe" and (forced or rng.random() < 0.6):
            clauses.append(("membership", "MembershipClause", [
                ("tkg:dateRule", "rule:period-after"), ("tkg:period", '"P6M"^^xsd:duration'), ("tkg:countsFrom", "from:membership-loss"),
                ("tkg:organization", "<org/coe>"), ("tkg:obligationsSurvive", '"true"^^xsd:boolean')]))
        for ck, ccls, cprops in clauses:
            props.append(("tkg:hasClause", self.clause(tkey, ck, ccls, cprops)))
        w.node(f"{ID}treaty/{tkey}", props)
        has_denunciation = any(c[0] == "denunciation" for c in clauses)
        has_membership = any(c[0] == "membership" for c in clauses)

        # monitoring body and procedures, with the share measured for the series
        procs: list[tuple[str, str]] = []  # (iri, mode)
        if forced or rng.random() < PROCEDURE_SHARE[series]:
            body = f"body/{tkey}-committee"
            w.node(ID + body, [("a", "tkg:MonitoringBody"), ("rdfs:label", f'"Committee of {short}"'), ("prov:wasDerivedFrom", f"<{src}>")])
            w.node(f"{ID}treaty/{tkey}", [("tkg:establishes", f"<{body}>")])
            n_procs = 3 if forced else self.pick(PROCEDURES_PER_TREATY)
            kinds = rng.sample(PROCEDURE_KINDS, n_procs)
            modes = (["automatic", "opt-in", "opt-out"] if forced else
                     rng.choices([m for m, _ in PROCEDURE_MODES], weights=[x for _, x in PROCEDURE_MODES], k=n_procs))
            for k, mode in zip(kinds, modes):
                piri = f"procedure/{tkey}/{k}"
                art = rng.randrange(10, 60)
                w.node(ID + piri, [("a", "tkg:OversightProcedure"), ("tkg:treaty", f"<treaty/{tkey}>"), ("tkg:operatedBy", f"<{body}>"),
                                   ("tkg:procedureKind", f"kind:{k}"), ("tkg:acceptanceMode", f"mode:{mode}"),
                                   ("tkg:provision", f"<treaty/{tkey}/art-{art}>"), ("rdfs:label", f'"{k} under {short}"'),
                                   ("prov:wasDerivedFrom", f"<{src}>")])
                procs.append((piri, mode))
                self.counts["procedures"] += 1
            self.counts["treaties_with_procedures"] += 1
        self.counts["multilateral_treaties"] += 1

        # participation: how many States, from the measured distribution
        k = min(len(self.states), self.pick(PROCEDURE_TREATY_PARTICIPANTS if procs else MULTI_PARTICIPANTS))
        chosen = rng.sample(self.states, k)
        if forced == "coe" and "RUS" not in chosen:
            chosen[0] = "RUS"  # the membership clause meets the Russian Federation's loss of membership
        for st in sorted(chosen):
            self.participation(tkey, st, src, adopted, eif, procs, has_denunciation, has_membership)

    def participation(self, tkey, st, src, adopted, eif, procs, has_denunciation, has_membership):
        rng = self.rng
        self.counts["participations"] += 1
        end = dt.date(2025, 12, 31)
        signed = None
        if rng.random() < MULTI_SIGNATURE:
            signed = self.rdate(adopted, min(end, adopted + dt.timedelta(days=900)))
            self.act(tkey, st, "signature", "Signature", signed, src)
        if rng.random() >= MULTI_CONSENT:
            return  # signatory only
        typ, cls, _ = rng.choices(CONSENTS, weights=[c[2] for c in CONSENTS])[0]
        consent = self.rdate(signed or adopted, end)
        extra = []
        if rng.random() < 0.3 and eif and consent >= eif:
            extra = [("tkg:effectiveDate", d(consent + dt.timedelta(days=30))), ("tkg:effectiveDateBasis", "basis:published")]
        self.act(tkey, st, typ, cls, consent, src, extra)
        self.derived += DERIVED_PARTY + DERIVED_EFFECT
        # declarations accepting opt-in procedures, reservations excluding opt-out ones
        for piri, mode in procs:
            pkind = piri.rsplit("/", 1)[1]
            if mode == "automatic":
                self.derived += DERIVED_PROC
            elif mode == "opt-in" and rng.random() < 0.45:
                when = self.rdate(consent, end)
                decl = self.act(tkey, st, "declaration", "Declaration", when, src, [("tkg:acceptsProcedure", f"<{piri}>")], qualifier=pkind)
                self.derived += DERIVED_PROC + DERIVED_EFFECT
                if rng.random() < 0.1:
                    self.act(tkey, st, "withdrawal-of-declaration", "WithdrawalOfDeclaration", self.rdate(when, end), src,
                             [("tkg:withdraws", f"<{ID}{decl}>")], qualifier=pkind)
            elif mode == "opt-out":
                self.derived += DERIVED_PROC
                if rng.random() < 0.15:
                    res = self.act(tkey, st, "reservation", "Reservation", consent, src, [("tkg:excludesProcedure", f"<{piri}>")], qualifier=pkind)
                    self.derived += DERIVED_EFFECT
                    if rng.random() < 0.3:
                        self.act(tkey, st, "withdrawal-of-reservation", "WithdrawalOfReservation", self.rdate(consent, end), src,
                                 [("tkg:withdraws", f"<{ID}{res}>")], qualifier=pkind)
                        self.derived += DERIVED_PROC
        # other reservations and declarations (about provisions, not procedures)
        if rng.random() < MULTI_OTHER_STATEMENTS:
            art = rng.randrange(1, 40)
            self.act(tkey, st, rng.choice(["reservation", "declaration"]), rng.choice(["Reservation", "Declaration"]), consent, src,
                     [("tkg:concernsProvision", f"<treaty/{tkey}/art-{art}>")], qualifier=f"art-{art}")
            self.derived += DERIVED_EFFECT
        # denunciation, sometimes followed by a re-accession
        if has_denunciation and rng.random() < 0.03:
            den = self.rdate(consent + dt.timedelta(days=365), end + dt.timedelta(days=365 * 3))
            if den <= end:
                self.act(tkey, st, "denunciation", "Denunciation", den, src)
                self.derived += DERIVED_EFFECT
                if rng.random() < 0.3:
                    again = self.rdate(den, end)
                    self.act(tkey, st, "accession", "Accession", again, src, qualifier="re-accession")
                    self.derived += DERIVED_PARTY + DERIVED_EFFECT + DERIVED_PROC * len(procs)

    def run(self) -> dict:
        self.header()
        while self.w.total + self.derived + ONTOLOGY_TRIPLES < self.target:
            self.treaty()
        self.w.close()
        return {"seed": self.seed, "target_triples": self.target, "asserted_triples": self.w.total,
                "estimated_derived_triples": self.derived, "states": len(self.states), **self.counts,
                "files": self.w.files}


def generator_digest() -> str:
    """A digest of this generator's source: data written by another version is regenerated."""
    import hashlib

    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def generate(target: int, seed: int, out: Path, chunk: int = 250_000) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.ttl"):
        old.unlink()
    manifest = {**Generator(seed, target, out, chunk).run(), "generator": generator_digest()}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", default="100k", help="target size after derivation: 10k, 100k, 1M, 10M ...")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, help="output folder (default bench/out/<size>/asserted)")
    ap.add_argument("--chunk", type=int, default=250_000, help="asserted triples per file")
    args = ap.parse_args(argv)
    target = parse_size(args.triples)
    out = args.out or Path(__file__).resolve().parent / "out" / size_name(target) / "asserted"
    m = generate(target, args.seed, out, args.chunk)
    print(json.dumps({k: v for k, v in m.items() if k != "files"}), file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
