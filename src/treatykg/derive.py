"""The derived status layer: from acts and clauses to status spans.

For every (State, treaty) the acts are put in date order and run through a small state
machine: a consent opens a *party* span, a denunciation, withdrawal, cessation or a loss of
membership under a membership clause closes it, and a later consent opens a new one
(re-accession). Each end is computed from the treaty's clause unless a published date is
given, which always wins. Dates that are only bounded stay bounded: a span records its
earliest and latest possible start and end.

For every party span and every oversight procedure of that treaty, a procedure span follows
the procedure's acceptance mode: the whole party span (automatic), the part covered by an
accepting declaration (opt-in), or the party span minus the time an excluding reservation was in
effect (opt-out). Where the ending clause keeps obligations alive for earlier acts (ECHR
Art. 58(2)), a span of *surviving obligations* follows the end.

Everything written goes to two named graphs: the procedure spans to
``graph/derived/procedure-status`` (:data:`PROCEDURE_STATUS_GRAPH`), everything else (party
spans, computed effective dates, the derivation run) to ``graph/derived``. The split lets the
oversight queries read the procedure spans alone (``GRAPH``): a State's procedure spans, or
one property of every procedure span, come from one index range instead of a test of each of
the tens of thousands of party spans. Each span also lists the source records of the acts it
rests on (``tkg:restsOnSource``), so a query citing its sources needs no walk through the acts.
The run is deterministic: the same acts give the same triples.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from treatykg import __version__, iri
from treatykg.dates import DateBounds, bounds_max, bounds_min
from treatykg.kg import DERIVED_GRAPH, KnowledgeGraph

PROCEDURE_STATUS_GRAPH = DERIVED_GRAPH + "/procedure-status"
from treatykg.rules import Clause, apply_clause, parse_duration
from treatykg.terms import TKG, concept

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV_GENERATED_BY = "http://www.w3.org/ns/prov#wasGeneratedBy"
PROV_USED = "http://www.w3.org/ns/prov#used"
PROV_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
RUN = iri.ID + "derivation-run/treatykg-" + __version__

# Act classes the state machine reads, by role. The most specific class wins.
CONSENT = {"Ratification", "Acceptance", "Approval", "Accession", "Succession", "DefinitiveSignature", "ConsentToBeBound"}
SIGNATURE = {"Signature"}
END_BY_NOTICE = {"Denunciation", "WithdrawalFromTreaty"}
END_OTHER = {"WithdrawalOfConsent", "CessationOfParty"}
_ROLE_PRIORITY = [
    ("DefinitiveSignature", "consent"),
    ("WithdrawalOfSignature", "withdraw-signature"),
    ("WithdrawalOfConsent", "withdraw-consent"),
    ("WithdrawalOfReservation", "withdraw-reservation"),
    ("WithdrawalOfDeclaration", "withdraw-declaration"),
    ("WithdrawalFromTreaty", "denunciation"),
    ("Denunciation", "denunciation"),
    ("CessationOfParty", "cessation"),
    ("MembershipLoss", "membership-loss"),
    ("Ratification", "consent"),
    ("Acceptance", "consent"),
    ("Approval", "consent"),
    ("Accession", "consent"),
    ("Succession", "consent"),
    ("ConsentToBeBound", "consent"),
    ("Signature", "signature"),
    ("Reservation", "reservation"),
    ("Declaration", "declaration"),
]
_ORDER = {  # on one day, ends come before new consents (a denunciation and a re-accession the same day)
    "denunciation": 0, "cessation": 0, "membership-loss": 0, "withdraw-consent": 0,
    "signature": 1, "consent": 2, "withdraw-signature": 3,
    "reservation": 4, "declaration": 4, "withdraw-reservation": 5, "withdraw-declaration": 5,
}

_CONFIDENCE = {"high": 0, "medium": 1, "unconfirmed": 2}
BASIS_PUBLISHED = concept("date-basis", "published")
BASIS_COMPUTED = concept("date-basis", "computed")


@dataclass
class Act:
    iri: str
    role: str
    cls: str
    actor: str | None = None
    treaty: str | None = None
    organization: str | None = None
    date: DateBounds = field(default_factory=DateBounds.unknown)
    effective: DateBounds | None = None  # as asserted
    effective_basis: str | None = None
    notice_period: str | None = None
    accepts: list[str] = field(default_factory=list)
    excludes: list[str] = field(default_factory=list)
    withdraws: list[str] = field(default_factory=list)
    confidence: int = 0  # 0 high, 1 medium, 2 unconfirmed (the weaker of fact and date)

    @property
    def evidence_rank(self):
        """Lower is better: an exact day before a bounded one, then confidence."""
        return (0 if self.date.certain else 1, self.confidence)

    @property
    def sort_key(self):
        d = self.date.earliest or self.date.latest or _dt.date.max
        return (d, _ORDER.get(self.role, 9), self.iri)


@dataclass
class Treaty:
    iri: str
    general_eif: _dt.date | None = None
    eif_latest: _dt.date | None = None  # in force generally by this day, exact day unknown
    adopted: _dt.date | None = None  # no one signs or consents before this day
    clauses: dict[str, Clause] = field(default_factory=dict)  # kind -> clause
    membership: list[Clause] = field(default_factory=list)


@dataclass
class Procedure:
    iri: str
    treaty: str
    mode: str  # automatic | opt-in | opt-out


@dataclass
class Span:
    """A derived span. ``end`` None = no end known; otherwise bounds of the exclusive end."""

    party: str
    subject: str  # treaty or procedure IRI
    status: str
    start: DateBounds
    end: DateBounds | None = None
    started_by: str | None = None
    ended_by: str | None = None
    start_rule: str | None = None
    end_rule: str | None = None
    pending: str | None = None
    notice_from: _dt.date | None = None
    rests_on: set[str] = field(default_factory=set)
    basis: str | None = None
    covers_before: _dt.date | None = None
    survive: bool = False  # the end keeps obligations for earlier acts alive
    party_span: "Span | None" = None


# ----------------------------------------------------------------------------------------
# reading the graph


def _bounds(exact, lo, hi) -> DateBounds:
    if isinstance(exact, _dt.date):
        return DateBounds.exact(exact)
    return DateBounds(lo if isinstance(lo, _dt.date) else None, hi if isinstance(hi, _dt.date) else None)


def read_model(kg: KnowledgeGraph):
    """Acts, treaties and procedures as plain Python objects."""
    props = defaultdict(lambda: defaultdict(list))  # subject -> local name -> [values]
    wanted = [
        "actor", "treaty", "organization", "date", "dateEarliest", "dateLatest", "effectiveDate",
        "effectiveDateEarliest", "effectiveDateLatest", "effectiveDateBasis", "noticePeriod",
        "acceptsProcedure", "excludesProcedure", "withdraws", "generalEntryIntoForce", "generalEntryIntoForceLatest", "hasClause",
        "dateRule", "period", "countsFrom", "provision", "obligationsSurvive", "minimumPartyPeriod",
        "acceptanceMode", "amends", "confidence", "dateConfidence", "adoptedOn",
    ]
    for name in wanted:
        for s, o in kg.pairs(str(TKG[name])):
            props[s][name].append(o)
    types = defaultdict(set)
    tkg_ns = str(TKG)
    for s, o in kg.pairs(RDF_TYPE):
        if isinstance(o, str) and o.startswith(tkg_ns):
            types[s].add(o[len(tkg_ns):])
    labels = {}
    for s, o in kg.pairs(RDFS_LABEL):
        labels.setdefault(s, o)

    def one(s, name):
        vals = props[s].get(name)
        return sorted(vals, key=str)[0] if vals else None

    treaties: dict[str, Treaty] = {}
    for s, ts in types.items():
        if ts & {"Treaty", "Protocol", "AmendingProtocol", "OptionalProtocol"}:
            eif = one(s, "generalEntryIntoForce")
            eif_latest = one(s, "generalEntryIntoForceLatest")
            adopted = one(s, "adoptedOn")
            treaties[s] = Treaty(s, eif if isinstance(eif, _dt.date) else None,
                                 eif_latest if isinstance(eif_latest, _dt.date) else None,
                                 adopted=adopted if isinstance(adopted, _dt.date) else None)
    for t in list(treaties.values()):
        for c in sorted(props[t.iri].get("hasClause", [])):
            ctypes = types.get(c, set())
            kind = ("membership" if "MembershipClause" in ctypes else
                    "denunciation" if "DenunciationClause" in ctypes else
                    "entry-into-force" if "EntryIntoForceClause" in ctypes else None)
            rule = one(c, "dateRule")
            if kind is None or rule is None:
                continue
            prov_iri = one(c, "provision")
            clause = Clause(
                iri=c, kind=kind, rule=str(rule).rsplit("/", 1)[-1],
                period=one(c, "period"), counts_from=(str(one(c, "countsFrom") or "").rsplit("/", 1)[-1] or None),
                provision=prov_iri, provision_label=labels.get(prov_iri) if prov_iri else None,
                organization=one(c, "organization"), obligations_survive=bool(one(c, "obligationsSurvive")),
                minimum_party_period=one(c, "minimumPartyPeriod"),
            )
            if kind == "membership":
                t.membership.append(clause)
            else:
                t.clauses[kind] = clause

    # an amending protocol becomes part of the treaty it amends: where it has no date clause
    # of its own, the amended treaty's clause governs (a denunciation of the treaty covers it)
    for t in treaties.values():
        parent = treaties.get(one(t.iri, "amends")) if "AmendingProtocol" in types.get(t.iri, ()) else None
        if parent is not None:
            for kind, c in parent.clauses.items():
                t.clauses.setdefault(kind, c)
            if not t.membership:
                t.membership = list(parent.membership)

    acts: list[Act] = []
    for s, ts in types.items():
        role = cls = None
        for c, r in _ROLE_PRIORITY:
            if c in ts:
                role, cls = r, c
                break
        if role is None:
            continue
        p = props[s]
        eff = None
        if p.get("effectiveDate") or p.get("effectiveDateEarliest") or p.get("effectiveDateLatest"):
            eff = _bounds(one(s, "effectiveDate"), one(s, "effectiveDateEarliest"), one(s, "effectiveDateLatest"))
        acts.append(Act(
            iri=s, role=role, cls=cls, actor=one(s, "actor"), treaty=one(s, "treaty"),
            organization=one(s, "organization"),
            date=_bounds(one(s, "date"), one(s, "dateEarliest"), one(s, "dateLatest")),
            effective=eff, effective_basis=one(s, "effectiveDateBasis"), notice_period=one(s, "noticePeriod"),
            accepts=sorted(p.get("acceptsProcedure", [])), excludes=sorted(p.get("excludesProcedure", [])),
            withdraws=sorted(p.get("withdraws", [])),
            confidence=max([_CONFIDENCE.get(str(c).rsplit("/", 1)[-1], 0) for c in p.get("confidence", []) + p.get("dateConfidence", [])] or [0]),
        ))
    procedures: list[Procedure] = []
    for s, ts in types.items():
        if "OversightProcedure" in ts and one(s, "treaty"):
            mode = str(one(s, "acceptanceMode") or concept("acceptance-mode", "automatic")).rsplit("/", 1)[-1]
            procedures.append(Procedure(s, one(s, "treaty"), mode))
    acts.sort(key=lambda a: a.sort_key)
    procedures.sort(key=lambda p: p.iri)
    return acts, treaties, procedures


# ----------------------------------------------------------------------------------------
# computing dates


@dataclass
class Effect:
    when: DateBounds
    rule: str | None  # clause IRI when computed
    basis: str  # published/declared/secondary or computed
    computed: bool


def _published(act: Act, computed: Effect | None = None) -> Effect:
    """The effect the source states. Where it states only bounds and the treaty's clause
    computes a day within them, the computed day is the more precise answer (a depositary that
    records 'notified on D, effective as its article provides')."""
    eff = act.effective
    if (not eff.certain and computed is not None and computed.rule is not None and computed.when.certain
            and (eff.earliest is None or eff.earliest <= computed.when.value)
            and (eff.latest is None or computed.when.value <= eff.latest)):
        return computed
    return Effect(eff, None, act.effective_basis or BASIS_PUBLISHED, False)


def consent_effect(act: Act, treaty: Treaty | None) -> Effect:
    """When a consent takes effect for the State."""
    if act.effective is not None:
        computed = None
        if not act.effective.certain:
            computed = consent_effect(replace(act, effective=None), treaty)
        return _published(act, computed)
    clause = treaty.clauses.get("entry-into-force") if treaty else None
    when = apply_clause(clause, act.date) if clause else None
    if treaty and treaty.general_eif:
        g = DateBounds.exact(treaty.general_eif)
        when = bounds_max(when, g) if when else bounds_max(act.date, g)
        return Effect(when, clause.iri if clause else None, BASIS_COMPUTED, True)
    if treaty and treaty.eif_latest:
        # the day of general entry into force is unknown but bounded: the effect is the later
        # of the State's own date and an entry into force on or before eif_latest
        own = when if when is not None else act.date
        hi = None if own.latest is None else max(own.latest, treaty.eif_latest)
        return Effect(DateBounds(own.earliest, hi), clause.iri if clause else None, BASIS_COMPUTED, True)
    if when is not None:
        # no general entry into force recorded: it may still be pending, so only the
        # earliest date is known
        return Effect(DateBounds(when.earliest, None), clause.iri, BASIS_COMPUTED, True)
    return Effect(DateBounds(act.date.earliest, None), None, BASIS_COMPUTED, True)


def end_effect(act: Act, treaty: Treaty | None) -> Effect:
    """When a denunciation or withdrawal takes effect."""
    if act.effective is not None:
        computed = None
        if not act.effective.certain:
            computed = end_effect(replace(act, effective=None), treaty)
        return _published(act, computed)
    if act.role in ("denunciation",):
        clause = treaty.clauses.get("denunciation") if treaty else None
        if clause is not None:
            return Effect(apply_clause(clause, act.date, act.notice_period), clause.iri, BASIS_COMPUTED, True)
        # no clause recorded: it cannot take effect before it was notified
        return Effect(DateBounds(act.date.earliest, None), None, BASIS_COMPUTED, True)
    # withdrawals of consent, of reservations, of declarations, declarations, cessations:
    # effective on their date unless stated
    return Effect(act.date, None, BASIS_COMPUTED, True)


def _span_end_key(b: DateBounds | None):
    if b is None:
        return (_dt.date.max, _dt.date.max)
    return (b.earliest or _dt.date.min, b.latest or _dt.date.max)


# ----------------------------------------------------------------------------------------
# the state machine


def derive_spans(acts: list[Act], treaties: dict[str, Treaty], procedures: list[Procedure]):
    by_pair: dict[tuple[str, str], list[Act]] = defaultdict(list)
    membership_losses: dict[str, list[Act]] = defaultdict(list)  # actor -> losses
    by_actor_decl: dict[tuple[str, str], list[Act]] = defaultdict(list)  # (actor, procedure) -> acts
    by_iri = {a.iri: a for a in acts}
    withdrawals: dict[str, list[Act]] = defaultdict(list)  # withdrawn act -> withdrawals
    act_effects: dict[str, Effect] = {}
    for a in acts:
        if a.role == "membership-loss" and a.actor:
            membership_losses[a.actor].append(a)
        elif a.actor and a.treaty:
            by_pair[(a.actor, a.treaty)].append(a)
        for p in a.accepts + a.excludes:
            by_actor_decl[(a.actor, p)].append(a)
        for w in a.withdraws:
            withdrawals[w].append(a)

    party_spans: list[Span] = []
    signatory_spans: list[Span] = []
    for (actor, treaty_iri), pair_acts in sorted(by_pair.items()):
        treaty = treaties.get(treaty_iri)
        # membership losses become end candidates for treaties with a membership clause
        events = list(pair_acts)
        if treaty and treaty.membership:
            for loss in membership_losses.get(actor, []):
                for mc in treaty.membership:
                    if mc.organization is None or loss.organization in (None, mc.organization):
                        events.append(loss)
                        break
        events.sort(key=lambda a: a.sort_key)
        open_span: Span | None = None
        sig_span: Span | None = None
        for i, a in enumerate(events):
            group = [a]
            if a.role == "consent" and (open_span is None or open_span.end is not None):
                # several records of one consent (two sources, a year-only data set): the
                # best evidence (an exact day, then the highest confidence) sets the start
                group = [a]
                for b in events[i + 1:]:
                    if b.role in ("denunciation", "cessation", "withdraw-consent", "membership-loss"):
                        break
                    if b.role == "consent":
                        group.append(b)
                best = min(group, key=lambda x: (x.evidence_rank, x.sort_key))
                if best is not a:
                    a = best
            if a.role == "signature":
                if sig_span is None and open_span is None:
                    start = a.date
                    if start.earliest is None and treaty and treaty.adopted:
                        # an undated signature: not before the treaty was adopted
                        start = DateBounds(treaty.adopted, start.latest)
                    if start.earliest is not None:
                        sig_span = Span(actor, treaty_iri, "signatory", start, started_by=a.iri, rests_on={a.iri})
                continue
            if a.role == "withdraw-signature":
                if sig_span is not None:
                    sig_span.end, sig_span.ended_by = a.date, a.iri
                    sig_span.rests_on.add(a.iri)
                    signatory_spans.append(sig_span)
                    sig_span = None
                continue
            if a.role == "consent":
                eff = consent_effect(a, treaty)
                act_effects[a.iri] = eff
                if open_span is not None and open_span.end is not None:
                    party_spans.append(open_span)  # ended: a later consent is a re-accession
                    open_span = None
                if open_span is None:
                    open_span = Span(actor, treaty_iri, "party", eff.when, started_by=a.iri,
                                     start_rule=eff.rule, rests_on={x.iri for x in group})
                    if treaty and treaty.general_eif and eff.computed:
                        open_span.rests_on.add(iri.ID + "treaty-eif/" + treaty_iri.rsplit("/", 1)[-1])
                    if sig_span is not None:
                        sig_span.end, sig_span.ended_by = a.date, a.iri
                        sig_span.rests_on.add(a.iri)
                        signatory_spans.append(sig_span)
                        sig_span = None
                else:
                    open_span.rests_on.add(a.iri)  # a second record of consent while bound
                continue
            if a.role in ("denunciation", "cessation", "withdraw-consent", "membership-loss"):
                if a.role == "cessation" and sig_span is not None:
                    # a signatory that ceases to exist is no longer a signatory
                    eff = end_effect(a, treaty)
                    act_effects[a.iri] = eff
                    sig_span.end, sig_span.ended_by = eff.when, a.iri
                    sig_span.rests_on.add(a.iri)
                    signatory_spans.append(sig_span)
                    sig_span = None
                if open_span is None:
                    continue
                if (open_span.end is not None and open_span.end.latest is not None
                        and a.date.earliest is not None and a.date.earliest >= open_span.end.latest):
                    continue  # notified after the participation had already ended
                if a.role == "membership-loss":
                    mc = next(c for c in treaty.membership if c.organization in (None, a.organization) or a.organization is None)
                    eff = Effect(apply_clause(mc, a.date), mc.iri, BASIS_COMPUTED, True)
                    survive = mc.obligations_survive
                    _close(open_span, a, eff, survive)
                    continue  # one loss ends many treaties: its effect is per treaty, not per act
                else:
                    eff = end_effect(a, treaty)
                    clause = treaty.clauses.get("denunciation") if treaty else None
                    survive = bool(clause and clause.obligations_survive and a.role in ("denunciation", "cessation"))
                    if a.role == "cessation" and treaty:
                        survive = any(c.obligations_survive for c in [*treaty.membership, *treaty.clauses.values()])
                act_effects[a.iri] = eff
                _close(open_span, a, eff, survive)
                if a.role == "withdraw-consent":
                    party_spans.append(open_span)
                    # a signatory again once the withdrawal takes effect: not before the party span began
                    sig_span = Span(actor, treaty_iri, "signatory", _not_before_start(eff.when, open_span),
                                    started_by=a.iri, rests_on={a.iri})
                    open_span = None
                    continue
                # several end events may apply (a withdrawal notice and an expulsion): keep
                # collecting until a new consent opens another span
                continue
            # reservations/declarations are handled per procedure below
        # flush
        if open_span is not None:
            party_spans.append(open_span)
        if sig_span is not None:
            signatory_spans.append(sig_span)

    # a participation that ends the day it would begin (an accession denounced with effect on
    # the day it would have entered into force) leaves no span; its acts stay in the graph
    party_spans = [s for s in party_spans if not _empty(s)]

    # effects of non-consent acts (declarations, reservations, withdrawals) for the record
    for a in acts:
        if a.iri not in act_effects and a.role in ("declaration", "reservation", "withdraw-reservation", "withdraw-declaration", "denunciation"):
            act_effects[a.iri] = end_effect(a, treaties.get(a.treaty))

    # surviving-obligation spans
    surviving: list[Span] = []
    for s in party_spans:
        if s.survive and s.end is not None:
            sv = Span(s.party, s.subject, "surviving-obligations", s.end, started_by=s.ended_by,
                      start_rule=s.end_rule, rests_on=set(s.rests_on), covers_before=s.end.value)
            surviving.append(sv)

    # procedure spans
    procs_by_treaty: dict[str, list[Procedure]] = defaultdict(list)
    for p in procedures:
        procs_by_treaty[p.treaty].append(p)
    proc_spans: list[Span] = []
    for s in party_spans:
        if s.status != "party":
            continue
        for p in procs_by_treaty.get(s.subject, []):
            proc_spans.extend(_procedure_spans(s, p, by_actor_decl, withdrawals, act_effects))
    for sv in surviving:
        for p in procs_by_treaty.get(sv.subject, []):
            # a procedure survives only if it applied when the participation ended
            applied = [ps for ps in proc_spans if ps.party == sv.party and ps.subject == p.iri and ps.end == sv.start]
            if applied:
                proc_spans.append(Span(sv.party, p.iri, "surviving-obligations", sv.start, started_by=sv.started_by,
                                       start_rule=sv.start_rule, rests_on=set(applied[0].rests_on),
                                       basis=concept("basis", "surviving"), covers_before=sv.covers_before, party_span=sv))
    # a signatory's span ends no earlier than it begins (a party span's end was raised as it
    # closed; a procedure span takes that end, or is dropped when its end could come first)
    for s in signatory_spans:
        if s.end is not None:
            s.end = _not_before_start(s.end, s)
    # a signature and a consent on the same day leave no time as a mere signatory
    signatory_spans = [s for s in signatory_spans if not _empty(s)]
    return party_spans + signatory_spans + surviving, proc_spans, act_effects


def _empty(s: Span) -> bool:
    """The span certainly holds on no day: it ends (at the latest) by its earliest start."""
    return (s.end is not None and s.start.earliest is not None and s.end.latest is not None
            and s.end.latest <= s.start.earliest)


def _not_before_start(end: DateBounds, span: Span) -> DateBounds:
    """``end`` with its lower bound raised to the span's earliest start: a span does not end
    before it begins, so an act that no source dates (or dates more loosely) and that ends the
    span takes effect no earlier than that. An end that certainly comes first is left as it is
    (the span is empty, and dropped)."""
    lo = span.start.earliest
    if lo is None or (end.earliest is not None and end.earliest >= lo) or (end.latest is not None and end.latest < lo):
        return end
    return DateBounds(lo, end.latest)


def _close(span: Span, act: Act, eff: Effect, survive: bool) -> None:
    """Apply one end candidate; the earliest end wins (bounds combine)."""
    span.rests_on.add(act.iri)
    as_given = eff.when if eff.when.known else DateBounds(act.date.earliest, None)
    new_end = _not_before_start(as_given, span)
    if span.end is None or _span_end_key(new_end) < _span_end_key(span.end):
        combined = new_end if span.end is None else bounds_min(span.end, new_end)
        span.end, span.ended_by, span.end_rule, span.survive = combined, act.iri, eff.rule, survive
        # pending: announced before it can take effect, judged on the effect as given (an end
        # raised to the span's start says nothing about when the act was announced)
        if (act.role in ("denunciation", "membership-loss", "cessation") and act.date.earliest is not None
                and (as_given.earliest is None or act.date.earliest < as_given.earliest)
                and (combined.earliest is None or act.date.earliest < combined.earliest)):
            # announced before it takes effect: bound, with the end pending
            span.pending = act.iri
            span.notice_from = act.date.earliest
        else:
            span.pending, span.notice_from = None, None
    elif _span_end_key(new_end) == _span_end_key(span.end) and not eff.computed and span.end_rule is not None:
        # the same day, but published rather than computed: cite the published act
        span.ended_by, span.end_rule = act.iri, None
    else:
        span.end = bounds_min(span.end, new_end)


def _procedure_spans(party: Span, p: Procedure, by_actor_decl, withdrawals, act_effects) -> list[Span]:
    base = dict(party=party.party, subject=p.iri, status="party", party_span=party)
    if p.mode == "automatic":
        return [Span(**base, start=party.start, end=party.end, started_by=party.started_by, ended_by=party.ended_by,
                     start_rule=party.start_rule, end_rule=party.end_rule, pending=party.pending,
                     notice_from=party.notice_from, rests_on=set(party.rests_on), basis=concept("basis", "party"),
                     survive=party.survive)]
    decls = [a for a in by_actor_decl.get((party.party, p.iri), [])]
    if p.mode == "opt-in":
        out = []
        for d in decls:
            if p.iri not in d.accepts:
                continue
            d_start = act_effects[d.iri].when if d.iri in act_effects else d.date
            w_end, w_act = _withdrawal_end(d, withdrawals, act_effects)
            start = bounds_max(party.start, d_start)
            end, ended_by, end_rule, pending, notice = party.end, party.ended_by, party.end_rule, party.pending, party.notice_from
            if w_end is not None and (end is None or _span_end_key(w_end) < _span_end_key(end)):
                end, ended_by, end_rule, pending, notice = w_end, w_act, None, None, None
            if end is not None and _span_end_key(end) <= _span_end_key(start):
                continue
            out.append(Span(**base, start=start, end=end, started_by=d.iri if _span_end_key(d_start) >= _span_end_key(party.start) else party.started_by,
                            ended_by=ended_by, start_rule=party.start_rule, end_rule=end_rule, pending=pending,
                            notice_from=notice, rests_on=set(party.rests_on) | {d.iri} | ({w_act} if w_act else set()),
                            basis=concept("basis", "declaration"), survive=party.survive and ended_by == party.ended_by))
        return _merge_overlapping(out)
    # opt-out: the party span minus exclusions
    pieces = [(party.start, party.started_by, party.end)]
    rests = set(party.rests_on)
    for r in decls:
        if p.iri not in r.excludes:
            continue
        r_start = r.date
        w_end, w_act = _withdrawal_end(r, withdrawals, act_effects)
        rests |= {r.iri} | ({w_act} if w_act else set())
        new_pieces = []
        for (ps, sb, pe) in pieces:
            # part before the reservation took effect
            if _span_end_key(r_start) > _span_end_key(ps):
                new_pieces.append((ps, sb, r_start if pe is None or _span_end_key(r_start) < _span_end_key(pe) else pe))
            # part after its withdrawal
            if w_end is not None and (pe is None or _span_end_key(w_end) < _span_end_key(pe)):
                new_pieces.append((bounds_max(ps, w_end), w_act, pe))
        pieces = new_pieces
    out = []
    for ps, sb, pe in pieces:
        ends_party = pe is party.end
        out.append(Span(**base, start=ps, end=pe, started_by=sb, ended_by=party.ended_by if ends_party else None,
                        start_rule=party.start_rule if sb == party.started_by else None,
                        end_rule=party.end_rule if ends_party else None,
                        pending=party.pending if ends_party else None, notice_from=party.notice_from if ends_party else None,
                        rests_on=set(rests), basis=concept("basis", "no-reservation"), survive=party.survive and ends_party))
    return out


def _merge_overlapping(spans: list[Span]) -> list[Span]:
    """One span where declarations overlap (a State renewing a time-limited declaration
    before the previous one lapsed): the procedure applies without a break."""
    spans = sorted(spans, key=lambda s: _span_end_key(s.start))
    out: list[Span] = []
    for s in spans:
        if out:
            last = out[-1]
            if last.end is None or _span_end_key(s.start) <= _span_end_key(last.end):
                if last.end is not None and (s.end is None or _span_end_key(s.end) > _span_end_key(last.end)):
                    last.end, last.ended_by, last.end_rule = s.end, s.ended_by, s.end_rule
                    last.pending, last.notice_from, last.survive = s.pending, s.notice_from, s.survive
                last.rests_on |= s.rests_on
                continue
        out.append(s)
    return out


def _withdrawal_end(act: Act, withdrawals, act_effects):
    ws = withdrawals.get(act.iri, [])
    if not ws:
        return None, None
    w = sorted(ws, key=lambda a: a.sort_key)[0]
    eff = act_effects.get(w.iri)
    when = eff.when if eff else w.date
    return when, w.iri


# ----------------------------------------------------------------------------------------
# writing


def _subject_key(subject: str) -> str:
    for kind in ("treaty", "procedure"):
        prefix = f"{iri.ID}{kind}/"
        if subject.startswith(prefix):
            return subject[len(prefix):]
    return iri.slug(subject.rsplit("/", 1)[-1])


def _state_code(state_iri: str) -> str:
    return state_iri.rsplit("/", 1)[-1]


def span_iri(s: Span) -> str:
    cached = getattr(s, "_iri", None)
    if cached:
        return cached
    s._iri = _span_iri(s)
    return s._iri


def _span_iri(s: Span) -> str:
    key = _subject_key(s.subject)
    if s.status != "party":
        key += "/" + s.status
    start = s.start.value or s.start.earliest
    return str(iri.status_span(_state_code(s.party), key, start.isoformat() if start else None))


_P = {name: str(TKG[name]) for name in (
    "ProcedureStatus", "PartyStatus", "party", "procedure", "treaty", "status", "startCertain", "startsEarliest",
    "startsLatest", "validFrom", "endCertain", "endsEarliest", "endsLatest", "validUntil", "startedBy", "endedBy",
    "startRule", "endRule", "pendingEnd", "basis", "endNoticeFrom", "coversActsBefore", "restsOn", "restsOnSource",
    "withinSpan",
    "effectiveDateBasis", "effectiveDate", "effectiveDateEarliest", "effectiveDateLatest", "effectiveDateRule",
    "DerivationRun", "softwareVersion")}
_EIF_MARK = iri.ID + "treaty-eif/"


def span_triples(s: Span, procedure: bool, sources: dict[str, list[str]] | None = None) -> list[tuple]:
    """The triples of one span; ``sources`` maps an act to the source records it is derived
    from (for ``tkg:restsOnSource``)."""
    node = span_iri(s)
    P = _P
    t = [
        (node, RDF_TYPE, P["ProcedureStatus"] if procedure else P["PartyStatus"]),
        (node, P["party"], s.party),
        (node, P["procedure"] if procedure else P["treaty"], s.subject),
        (node, P["status"], concept("status", s.status)),
        (node, PROV_GENERATED_BY, RUN),
        (node, P["startCertain"], s.start.certain),
    ]
    if s.start.earliest is not None:
        t.append((node, P["startsEarliest"], s.start.earliest))
    if s.start.latest is not None:
        t.append((node, P["startsLatest"], s.start.latest))
    if s.start.certain:
        t.append((node, P["validFrom"], s.start.value))
    if s.end is None:
        t.append((node, P["endCertain"], True))
    else:
        t.append((node, P["endCertain"], s.end.certain))
        if s.end.earliest is not None:
            t.append((node, P["endsEarliest"], s.end.earliest))
        if s.end.latest is not None:
            t.append((node, P["endsLatest"], s.end.latest))
        if s.end.certain:
            t.append((node, P["validUntil"], s.end.value))
    for prop, val in (("startedBy", s.started_by), ("endedBy", s.ended_by), ("startRule", s.start_rule),
                      ("endRule", s.end_rule), ("pendingEnd", s.pending), ("basis", s.basis)):
        if val:
            t.append((node, P[prop], val))
    if s.pending and s.notice_from:
        t.append((node, P["endNoticeFrom"], s.notice_from))
    if s.covers_before:
        t.append((node, P["coversActsBefore"], s.covers_before))
    rests = sorted(r for r in s.rests_on if not r.startswith(_EIF_MARK))
    for r in rests:
        t.append((node, P["restsOn"], r))
    if sources:
        for src in sorted({src for r in rests for src in sources.get(r, ())}):
            t.append((node, P["restsOnSource"], src))
    if procedure and s.party_span is not None:
        t.append((node, P["withinSpan"], span_iri(s.party_span)))
    if procedure:
        t.append((node, P["treaty"], s.party_span.subject if s.party_span else s.subject))
    return t


def effect_triples(act_iri: str, eff: Effect) -> list[tuple]:
    """Computed effective dates, written back onto the act (only where none was asserted)."""
    if not eff.computed or not eff.when.known:
        return []
    t = [(act_iri, _P["effectiveDateBasis"], BASIS_COMPUTED)]
    if eff.when.certain:
        t.append((act_iri, _P["effectiveDate"], eff.when.value))
    else:
        if eff.when.earliest is not None:
            t.append((act_iri, _P["effectiveDateEarliest"], eff.when.earliest))
        if eff.when.latest is not None:
            t.append((act_iri, _P["effectiveDateLatest"], eff.when.latest))
    if eff.rule:
        t.append((act_iri, _P["effectiveDateRule"], eff.rule))
    return t


# ----------------------------------------------------------------------------------------
# source conflicts (graph/derived/source-conflicts)

SOURCE_CONFLICTS_GRAPH = DERIVED_GRAPH + "/source-conflicts"
# every graph derive_into (re)writes; nothing else
DERIVED_GRAPHS = (DERIVED_GRAPH, PROCEDURE_STATUS_GRAPH, SOURCE_CONFLICTS_GRAPH)
RDFS_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


class _SharedPairs:
    """``kg.pairs`` that keeps the pairs of the predicates read by both :func:`read_model`
    and :func:`find_source_conflicts`, so that the derivation reads each of them once."""

    SHARED = {str(TKG[n]) for n in ("actor", "treaty", "date", "dateEarliest", "dateLatest")} | {RDF_TYPE, PROV_DERIVED_FROM}

    def __init__(self, kg):
        self.kg, self.kept = kg, {}

    def pairs(self, predicate: str):
        if predicate not in self.SHARED:
            return self.kg.pairs(predicate)
        if predicate not in self.kept:
            self.kept[predicate] = list(self.kg.pairs(predicate))
        return iter(self.kept[predicate])


@dataclass
class SourceConflict:
    """Two acts (``act`` sorts before ``other``) of a common actor, treaty and most specific
    class that their sources date differently and that no single source asserts together."""

    act: str
    other: str
    actors: list[str]
    treaties: list[str]
    classes: list[str]
    sources: list[str]


def find_source_conflicts(kg: KnowledgeGraph) -> list[SourceConflict]:
    """Every pair of acts the ``source-conflicts`` query lists, by the same tests: both acts
    are IRIs with a common ``tkg:actor`` and ``tkg:treaty`` and a common ``tkg:`` class that is
    (a subclass of) ``tkg:TreatyAct`` and that neither act has a narrower class of; they
    concern no provision, or a common one; no source record is the source of both; and their
    ``tkg:date`` / ``tkg:dateEarliest`` / ``tkg:dateLatest`` (compared as strings, absent as
    "") differ in at least one combination of their values."""

    def multimap(predicate: str) -> dict[str, set]:
        out: dict[str, set] = defaultdict(set)
        for s, o in kg.pairs(predicate):
            if isinstance(s, str) and not s.startswith("_:"):
                out[s].add(o.isoformat() if isinstance(o, _dt.date) else o)
        return out

    actors = multimap(str(TKG.actor))
    treaties = multimap(str(TKG.treaty))
    acts = sorted(s for s in actors if s in treaties)
    if not acts:
        return []
    types = multimap(RDF_TYPE)
    sub_of = multimap(RDFS_SUBCLASS_OF)
    subs: dict[str, set] = defaultdict(set)
    for c, supers in sub_of.items():
        for sup in supers:
            subs[sup].add(c)
    below_act, todo = set(), [str(TKG.TreatyAct)]  # rdfs:subClassOf* tkg:TreatyAct
    while todo:
        c = todo.pop()
        if c not in below_act:
            below_act.add(c)
            todo.extend(subs.get(c, ()))
    tkg_ns = str(TKG)

    def classes(a: str) -> set[str]:
        ts = types.get(a, set())
        return {t for t in ts if isinstance(t, str) and t.startswith(tkg_ns) and t in below_act
                and not any(t in sub_of.get(n, ()) for n in ts)}

    sources = multimap(PROV_DERIVED_FROM)
    provisions = multimap(str(TKG.concernsProvision))
    dates = {name: multimap(str(TKG[name])) for name in ("date", "dateEarliest", "dateLatest")}

    def date_strings(a: str, name: str) -> frozenset:
        vals = dates[name].get(a)
        return frozenset(str(v) for v in vals) if vals else frozenset({""})

    by_key: dict[tuple, list[str]] = defaultdict(list)
    for a in acts:
        for actor in actors[a]:
            for t in treaties[a]:
                by_key[(actor, t)].append(a)
    cls_of: dict[str, set] = {}
    found: dict[tuple, SourceConflict] = {}
    for group in by_key.values():
        for i, a in enumerate(group):  # group is in code-point order of the IRIs
            for b in group[i + 1:]:
                if (a, b) in found:
                    continue
                ca = cls_of[a] if a in cls_of else cls_of.setdefault(a, classes(a))
                cb = cls_of[b] if b in cls_of else cls_of.setdefault(b, classes(b))
                common = ca & cb
                if not common or sources.get(a, set()) & sources.get(b, set()):
                    continue
                pa, pb = provisions.get(a, set()), provisions.get(b, set())
                if (pa or pb) and not pa & pb:
                    continue
                same = all(len(da) == 1 and da == db
                           for da, db in ((date_strings(a, n), date_strings(b, n)) for n in dates))
                if same:
                    continue
                found[(a, b)] = SourceConflict(
                    a, b, sorted(actors[a] & actors[b]), sorted(treaties[a] & treaties[b]), sorted(common),
                    sorted(sources.get(a, set()) | sources.get(b, set())))
    return [found[k] for k in sorted(found)]


def conflict_triples(c: SourceConflict) -> list[tuple]:
    """The triples of one source conflict node: the two acts, their common actor(s), treaty(ies)
    and class(es), and the source records of both acts."""
    node = str(iri.source_conflict(_subject_key(c.treaties[0]), _state_code(c.actors[0]), c.act, c.other))
    t = [(node, RDF_TYPE, str(TKG.SourceConflict)), (node, PROV_GENERATED_BY, RUN),
         (node, str(TKG.conflictingAct), c.act), (node, str(TKG.conflictingAct), c.other)]
    t += [(node, str(TKG.conflictActor), a) for a in c.actors]
    t += [(node, str(TKG.treaty), x) for x in c.treaties]
    t += [(node, str(TKG.conflictClass), x) for x in c.classes]
    t += [(node, str(TKG.conflictSource), x) for x in c.sources]
    return t


def derive_conflicts_into(kg: KnowledgeGraph, reader=None) -> int:
    """(Re)write ``graph/derived/source-conflicts``; the number of conflicts. ``reader`` (with
    a ``pairs`` method) reads the graph in place of ``kg``; nothing the other derived graphs
    hold bears on the pairs (spans have no tkg:actor; computed effective dates are not compared)."""
    kg.clear_graph(SOURCE_CONFLICTS_GRAPH)
    conflicts = find_source_conflicts(reader if reader is not None else kg)
    kg.add_nquads(SOURCE_CONFLICTS_GRAPH, [t for c in conflicts for t in conflict_triples(c)])
    return len(conflicts)


def derive_into(kg: KnowledgeGraph) -> dict[str, int]:
    """Compute the derived layer and (re)write its named graphs (``graph/derived``,
    ``graph/derived/procedure-status`` and ``graph/derived/source-conflicts``)."""
    reader = _SharedPairs(kg)  # the model and the conflicts read some predicates alike: once
    acts, treaties, procedures = read_model(reader)
    spans, proc_spans, effects = derive_spans(acts, treaties, procedures)
    sources: dict[str, list[str]] = defaultdict(list)
    for s, o in reader.pairs(PROV_DERIVED_FROM):
        sources[s].append(o)
    triples: list[tuple] = [
        (RUN, RDF_TYPE, str(TKG.DerivationRun)),
        (RUN, str(TKG.softwareVersion), __version__),
        (RUN, RDFS_LABEL, f"treatykg {__version__} status derivation"),
    ]
    seen: set[str] = set()
    for s in sorted(spans, key=span_iri):
        node = span_iri(s)
        if node in seen:
            continue
        seen.add(node)
        triples.extend(span_triples(s, procedure=False, sources=sources))
    proc_triples: list[tuple] = []
    for s in sorted(proc_spans, key=span_iri):
        node = span_iri(s)
        if node in seen:
            continue
        seen.add(node)
        proc_triples.extend(span_triples(s, procedure=True, sources=sources))
    asserted = {a.iri for a in acts if a.effective is not None}
    for act_iri in sorted(effects):
        # an act whose source states its effect (even as bounds) keeps that statement alone;
        # a day the clause computes within the bounds shows on the span it ends (endRule)
        if act_iri not in asserted:
            triples.extend(effect_triples(act_iri, effects[act_iri]))
    kg.clear_graph(DERIVED_GRAPH)
    kg.clear_graph(PROCEDURE_STATUS_GRAPH)
    n_conflicts = derive_conflicts_into(kg, reader)
    del reader
    kg.add_nquads(DERIVED_GRAPH, triples)
    kg.add_nquads(PROCEDURE_STATUS_GRAPH, proc_triples)
    if getattr(kg, "union_in_default", False):
        # the default graph holds the union of the named graphs: rebuild it
        kg.store.clear_graph(__import__("pyoxigraph").DefaultGraph())
        kg.materialize_union()
    return {"party_spans": sum(1 for s in spans), "procedure_spans": len(proc_spans), "acts": len(acts),
            "source_conflicts": n_conflicts}
