"""The flagship answers: which oversight binds a State on a date, and why."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from treatykg import queries
from treatykg.dates import parse_date
from treatykg.kg import KnowledgeGraph

TKG = "https://w3id.org/treatykg/ontology#"


def _date(value) -> _dt.date:
    if value is None:
        return _dt.date.today()
    if isinstance(value, _dt.date):
        return value
    return parse_date(str(value), what="date")


def oversight(kg: KnowledgeGraph, state: str, on=None) -> list[dict]:
    """Every oversight procedure binding ``state`` on ``on`` (default today), as dicts with the
    columns of the ``binding-oversight`` query."""
    d = _date(on)
    return queries.run(kg, "binding-oversight", {"state": state, "date": d}).dicts()


_EXPLAIN_ACTS = """
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?state ?treaty ?act ?class ?date ?dateEarliest ?dateLatest ?effective ?effEarliest ?effLatest ?basis ?rule ?confidence ?dateConfidence
       (GROUP_CONCAT(DISTINCT STR(?url); SEPARATOR=" ") AS ?sources)
       (GROUP_CONCAT(DISTINCT ?locator; SEPARATOR="; ") AS ?locators)
WHERE {
  { ?act tkg:actor ?state ; tkg:treaty ?treaty . }
  UNION
  { ?span tkg:party ?state ; tkg:treaty ?treaty ; tkg:restsOn ?act . }
  ?act a ?class . FILTER(STRSTARTS(STR(?class), STR(tkg:)))
  OPTIONAL { ?act tkg:date ?date }
  OPTIONAL { ?act tkg:dateEarliest ?dateEarliest }
  OPTIONAL { ?act tkg:dateLatest ?dateLatest }
  OPTIONAL { ?act tkg:effectiveDate ?effective }
  OPTIONAL { ?act tkg:effectiveDateEarliest ?effEarliest }
  OPTIONAL { ?act tkg:effectiveDateLatest ?effLatest }
  OPTIONAL { ?act tkg:effectiveDateBasis ?basis }
  OPTIONAL { ?act tkg:effectiveDateRule ?rule }
  OPTIONAL { ?act tkg:confidence ?confidence }
  OPTIONAL { ?act tkg:dateConfidence ?dateConfidence }
  OPTIONAL { ?act prov:wasDerivedFrom ?src . OPTIONAL { ?src tkg:url ?url } }
  OPTIONAL { ?act tkg:sourceLocator ?locator }
}
GROUP BY ?state ?treaty ?act ?class ?date ?dateEarliest ?dateLatest ?effective ?effEarliest ?effLatest ?basis ?rule ?confidence ?dateConfidence
"""

_EXPLAIN_CLAUSES = """
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?treaty ?clause ?class ?rule ?period ?countsFrom ?provisionLabel ?organization ?survive WHERE {
  ?treaty tkg:hasClause ?clause . ?clause a ?class ; tkg:dateRule ?rule .
  OPTIONAL { ?clause tkg:period ?period }
  OPTIONAL { ?clause tkg:countsFrom ?countsFrom }
  OPTIONAL { ?clause tkg:provision ?p . OPTIONAL { ?p rdfs:label ?provisionLabel } }
  OPTIONAL { ?clause tkg:organization ?organization }
  OPTIONAL { ?clause tkg:obligationsSurvive ?survive }
} ORDER BY ?clause
"""

_EXPLAIN_SPANS = """
PREFIX tkg: <https://w3id.org/treatykg/ontology#>
SELECT ?state ?treaty ?span ?kind ?subject ?status ?se ?sl ?ee ?el ?notice ?pendingClass ?startedBy ?endedBy ?startRule ?endRule ?covers WHERE {
  { ?span a tkg:PartyStatus ; tkg:party ?state ; tkg:treaty ?treaty . BIND(?treaty AS ?subject) BIND("treaty" AS ?kind) }
  UNION
  { ?span a tkg:ProcedureStatus ; tkg:party ?state ; tkg:treaty ?treaty ; tkg:procedure ?subject . BIND("procedure" AS ?kind) }
  ?span tkg:status ?status .
  OPTIONAL { ?span tkg:startsEarliest ?se } OPTIONAL { ?span tkg:startsLatest ?sl }
  OPTIONAL { ?span tkg:endsEarliest ?ee } OPTIONAL { ?span tkg:endsLatest ?el }
  OPTIONAL { ?span tkg:endNoticeFrom ?notice }
  OPTIONAL { ?span tkg:pendingEnd ?pending . OPTIONAL { ?pending a ?pendingClass . FILTER (?pendingClass IN (tkg:Denunciation, tkg:WithdrawalFromTreaty)) } }
  OPTIONAL { ?span tkg:startedBy ?startedBy } OPTIONAL { ?span tkg:endedBy ?endedBy }
  OPTIONAL { ?span tkg:startRule ?startRule } OPTIONAL { ?span tkg:endRule ?endRule }
  OPTIONAL { ?span tkg:coversActsBefore ?covers }
} ORDER BY ?kind ?subject ?se
"""


@dataclass
class Explanation:
    state: str
    treaty: str
    on: _dt.date
    acts: list[dict] = field(default_factory=list)
    clauses: list[dict] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    verdict: str = ""

    @property
    def bound(self) -> bool:
        return self.verdict.startswith("bound")


def span_state(span: dict, on: _dt.date) -> str | None:
    """How a span stands on a date: 'bound', 'bound, denunciation pending', 'uncertain',
    'surviving obligations', or None when it does not cover the date."""
    se, sl, ee, el = span.get("se"), span.get("sl"), span.get("ee"), span.get("el")
    if se is None or on < se:
        return None
    if el is not None and on >= el:
        return None
    if str(span.get("status", "")).endswith("surviving-obligations"):
        return "surviving obligations"
    if sl is None or on < sl or (ee is not None and on >= ee) or (ee is None and el is not None):
        return "uncertain"
    notice = span.get("notice")
    if notice is not None and notice <= on:
        return "bound, denunciation pending" if span.get("pendingClass") else "bound, end pending"
    return "bound"


def explain(kg: KnowledgeGraph, state: str, treaty: str, on=None) -> Explanation:
    d = _date(on)
    s = queries.resolve_state(kg, state)
    t = queries.resolve_treaty(kg, treaty)
    ex = Explanation(s, t, d)
    ex.acts = kg.select(_EXPLAIN_ACTS, {"state": s, "treaty": t}).dicts()
    ex.acts.sort(key=lambda a: (a.get("date") or a.get("dateEarliest") or _dt.date.max, a["act"]))
    ex.clauses = kg.select(_EXPLAIN_CLAUSES, {"treaty": t}).dicts()
    ex.spans = kg.select(_EXPLAIN_SPANS, {"state": s, "treaty": t}).dicts()
    verdicts = [span_state(sp, d) for sp in ex.spans if sp["kind"] == "treaty" and str(sp["status"]).endswith(("/party", "/surviving-obligations"))]
    verdicts = [v for v in verdicts if v]
    order = ["bound, denunciation pending", "bound, end pending", "bound", "uncertain", "surviving obligations"]
    ex.verdict = sorted(verdicts, key=order.index)[0] if verdicts else "not bound"
    return ex


def short(value) -> str:
    """Shorten our IRIs for display."""
    s = "" if value is None else str(value)
    for prefix, rep in (("https://w3id.org/treatykg/id/", ""), ("https://w3id.org/treatykg/vocab/", ""),
                        ("https://w3id.org/treatykg/ontology#", "tkg:")):
        if s.startswith(prefix):
            return rep + s[len(prefix):]
    return s


def fmt_bounds(exact, lo, hi) -> str:
    if exact is not None:
        return str(exact)
    if lo is None and hi is None:
        return "unknown"
    if lo is not None and hi is not None:
        return f"between {lo} and {hi}"
    if lo is not None:
        return f"not before {lo}"
    return f"not after {hi}"


def explanation_text(ex: Explanation) -> str:
    lines = [f"{short(ex.state)} and {short(ex.treaty)} on {ex.on}: {ex.verdict}", ""]
    lines.append("Rules (date clauses of the treaty):")
    if not ex.clauses:
        lines.append("  none recorded: effective dates are only bounded, never guessed")
    for c in ex.clauses:
        where = f" ({c['provisionLabel']})" if c.get("provisionLabel") else ""
        rule = short(c["rule"]).split("/")[-1]
        period = f" {c['period']}" if c.get("period") else ""
        frm = f" counted from {short(c['countsFrom']).split('/')[-1]}" if c.get("countsFrom") else ""
        extra = "; obligations for earlier acts survive" if c.get("survive") else ""
        lines.append(f"  {short(c['class'])}{where}: {rule}{period}{frm}{extra}")
    lines.append("")
    lines.append("Acts and events (date of the act; date it takes effect):")
    for a in ex.acts:
        when = fmt_bounds(a.get("date"), a.get("dateEarliest"), a.get("dateLatest"))
        eff = fmt_bounds(a.get("effective"), a.get("effEarliest"), a.get("effLatest"))
        basis = short(a.get("basis")).split("/")[-1] if a.get("basis") else ""
        rule = f" by {short(a['rule'])}" if a.get("rule") else ""
        conf = ""
        if a.get("confidence") and str(a["confidence"]).endswith("unconfirmed"):
            conf = " [UNCONFIRMED]"
        elif a.get("dateConfidence") and str(a["dateConfidence"]).endswith("unconfirmed"):
            conf = " [date UNCONFIRMED]"
        lines.append(f"  {when}  {short(a['class'])}{conf}; effect {eff}" + (f" ({basis}{rule})" if basis else ""))
        lines.append(f"      {short(a['act'])}")
        if a.get("sources"):
            lines.append(f"      source: {a['sources']}" + (f" [{a['locators']}]" if a.get("locators") else ""))
    lines.append("")
    lines.append("Derived status spans (end exclusive):")
    for sp in ex.spans:
        start = fmt_bounds(sp["se"] if sp.get("se") == sp.get("sl") else None, sp.get("se"), sp.get("sl"))
        if sp.get("ee") is None:
            end = "open"
        else:
            end = fmt_bounds(sp["ee"] if sp.get("ee") == sp.get("el") else None, sp.get("ee"), sp.get("el"))
        state_on = span_state(sp, ex.on) or "not in effect"
        what = short(sp["subject"]) if sp["kind"] == "procedure" else "party status"
        lines.append(f"  {what} [{short(sp['status']).split('/')[-1]}]: from {start} until {end} -> on {ex.on}: {state_on}")
        if sp.get("notice"):
            lines.append(f"      end announced, not before {sp['notice']}")
        if sp.get("covers"):
            lines.append(f"      covers acts before {sp['covers']} only")
        for k in ("startRule", "endRule"):
            if sp.get(k):
                lines.append(f"      {'start' if k == 'startRule' else 'end'} computed by {short(sp[k])}")
    return "\n".join(lines)


__all__ = ["oversight", "explain", "Explanation", "explanation_text", "span_state"]
