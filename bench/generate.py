"""A seeded generator of synthetic treaty graphs shaped like treatykg's own.

    python bench/generate.py --triples 1M [--seed 7] [--out bench/out/1M]

Writes Turtle in the asserted model of ``ontology/README.md`` (the build derives the status
spans from it with :mod:`treatykg.derive`): real ISO 3166 States (with former States), treaties
in the depositaries' series (UNTC, Council of Europe, IEADB) with entry-into-force,
denunciation and membership clauses, monitoring bodies and oversight procedures (automatic,
opt-in, opt-out), one depositary source record per treaty, and for each participating State
its signature, consent (ratification, accession, ...), published effective dates,
denunciations and re-accessions, declarations accepting opt-in procedures, reservations
excluding opt-out procedures, withdrawals of both, other reservations and declarations, and
partial dates (month, year, unknown) written as Earliest/Latest/Precision. Council of Europe
treaties carry a membership clause and membership losses end them.

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
CONSENTS = [("ratification", "Ratification", 55), ("accession", "Accession", 30), ("acceptance", "Acceptance", 5),
            ("approval", "Approval", 4), ("succession", "Succession", 4), ("definitive-signature", "DefinitiveSignature", 2)]

# derived triples per span, measured on generated graphs (a party span ~17, a procedure span
# ~19, a computed effective date ~3); used only to aim at the requested total
DERIVED_PARTY, DERIVED_PROC, DERIVED_EFFECT = 17, 19, 3
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
        self.counts = {"treaties": 0, "procedures": 0, "acts": 0, "participations": 0}
        self.series_n = {"untc": 0, "coe": 0, "ieadb": 0}

    # ---- helpers ---------------------------------------------------------------------
    def rdate(self, lo: dt.date, hi: dt.date) -> dt.date:
        if hi <= lo:
            return lo
        return lo + dt.timedelta(days=self.rng.randrange((hi - lo).days + 1))

    def date_props(self, when: dt.date) -> tuple[list[tuple[str, str]], str]:
        """An act's date as published: mostly the day, sometimes only the month, the year,
        or nothing (an undated act with only an earliest bound). Returns the props and the
        date key of the act's IRI."""
        r = self.rng.random()
        if r < 0.90:
            return [("tkg:date", d(when))], when.isoformat()
        if r < 0.95:
            first = when.replace(day=1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            return [("tkg:dateEarliest", d(first)), ("tkg:dateLatest", d(last)), ("tkg:datePrecision", "prec:month")], when.strftime("%Y-%m")
        if r < 0.985:
            return [("tkg:dateEarliest", d(dt.date(when.year, 1, 1))), ("tkg:dateLatest", d(dt.date(when.year, 12, 31))),
                    ("tkg:datePrecision", "prec:year")], str(when.year)
        return [("tkg:dateEarliest", d(when)), ("tkg:datePrecision", "prec:unknown")], "undated"

    def act(self, tkey: str, state: str, typ: str, cls: str, when: dt.date, src: str, extra=(), qualifier=None) -> str:
        dprops, dkey = self.date_props(when)
        iri = f"act/{tkey}/{state}/{typ}/{dkey}" + (f"/{qualifier}" if qualifier else "")
        props = [("a", f"tkg:{cls}"), ("tkg:actor", f"<state/{state}>"), ("tkg:treaty", f"<treaty/{tkey}>"), *dprops,
                 ("prov:wasDerivedFrom", f"<{src}>"), *extra]
        if self.rng.random() < 0.3:
            props.append(("tkg:sourceLocator", f'"end note {self.rng.randrange(1, 60)}"'))
        if self.rng.random() < 0.02:
            props.append(("tkg:confidence", "conf:unconfirmed"))
        self.w.node(ID + iri, props)
        self.counts["acts"] += 1
        return iri

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
        rng, w = self.rng, self.w
        series = rng.choices(["ieadb", "untc", "coe"], weights=[55, 33, 12])[0]
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
        if series == "coe" and rng.random() < 0.6:
            clauses.append(("membership", "MembershipClause", [
                ("tkg:dateRule", "rule:period-after"), ("tkg:period", '"P6M"^^xsd:duration'), ("tkg:countsFrom", "from:membership-loss"),
                ("tkg:organization", "<org/coe>"), ("tkg:obligationsSurvive", '"true"^^xsd:boolean')]))
        for ck, ccls, cprops in clauses:
            art = rng.randrange(10, 60)
            prov_iri = f"treaty/{tkey}/art-{art}"
            w.node(ID + prov_iri, [("a", "tkg:Provision"), ("rdfs:label", f'"Article {art}"'), ("tkg:provisionOf", f"<treaty/{tkey}>")])
            w.node(f"{ID}treaty/{tkey}/clause/{ck}", [("a", f"tkg:{ccls}"), *cprops, ("tkg:provision", f"<{prov_iri}>")])
            props.append(("tkg:hasClause", f"<treaty/{tkey}/clause/{ck}>"))
        w.node(f"{ID}treaty/{tkey}", props)
        has_denunciation = any(c[0] == "denunciation" for c in clauses)
        has_membership = any(c[0] == "membership" for c in clauses)

        # monitoring body and procedures: most human-rights-like (UNTC, CoE) treaties have them
        procs: list[tuple[str, str]] = []  # (iri, mode)
        if series != "ieadb" and rng.random() < 0.75 or series == "ieadb" and rng.random() < 0.1:
            body = f"body/{tkey}-committee"
            w.node(ID + body, [("a", "tkg:MonitoringBody"), ("rdfs:label", f'"Committee of {short}"'), ("prov:wasDerivedFrom", f"<{src}>")])
            w.node(f"{ID}treaty/{tkey}", [("tkg:establishes", f"<{body}>")])
            for k in rng.sample(PROCEDURE_KINDS, rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]):
                mode = rng.choices(["automatic", "opt-in", "opt-out"], weights=[50, 32, 18])[0]
                piri = f"procedure/{tkey}/{k}"
                art = rng.randrange(10, 60)
                w.node(ID + piri, [("a", "tkg:OversightProcedure"), ("tkg:treaty", f"<treaty/{tkey}>"), ("tkg:operatedBy", f"<{body}>"),
                                   ("tkg:procedureKind", f"kind:{k}"), ("tkg:acceptanceMode", f"mode:{mode}"),
                                   ("tkg:provision", f"<treaty/{tkey}/art-{art}>"), ("rdfs:label", f'"{k} under {short}"'),
                                   ("prov:wasDerivedFrom", f"<{src}>")])
                procs.append((piri, mode))
                self.counts["procedures"] += 1
        self.counts["treaties"] += 1

        # participation
        share = {"untc": 0.75, "coe": 0.25, "ieadb": 0.3}[series]
        for st in self.states:
            if rng.random() >= share:
                continue
            self.participation(tkey, st, src, adopted, eif, procs, has_denunciation, has_membership)
        w.boundary()

    def participation(self, tkey, st, src, adopted, eif, procs, has_denunciation, has_membership):
        rng = self.rng
        self.counts["participations"] += 1
        end = dt.date(2025, 12, 31)
        signed = None
        if rng.random() < 0.6:
            signed = self.rdate(adopted, min(end, adopted + dt.timedelta(days=900)))
            self.act(tkey, st, "signature", "Signature", signed, src)
        if rng.random() >= 0.9:
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
        if rng.random() < 0.2:
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


def generate(target: int, seed: int, out: Path, chunk: int = 250_000) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.ttl"):
        old.unlink()
    manifest = Generator(seed, target, out, chunk).run()
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
