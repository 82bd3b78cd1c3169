"""The named query library (queries/*.rq): headers, parameter binding and golden answers.

The golden answers are worked out by hand from the fixture graph (tests/fixtures/queries/*.ttl)
and the derivation rules, not copied from a run. The dates that matter:

* ICCPR-OP1 (IV-5), three months after deposit / after receipt: Belarus accedes 30 Sep 1992 ->
  party from 30 Dec 1992; denounces 8 Nov 2022 -> bound, denunciation pending from that day,
  gone on 8 Feb 2023. Trinidad and Tobago accedes 14 Nov 1980 -> party 14 Feb 1981; denounces
  on 26 May 1998 and re-accedes the same day, both published as taking effect on 26 Aug 1998
  (one span ends and the next begins that day); denounces again 27 Mar 2000, effective
  27 Jun 2000 (published). The USSR (actor: the Russian Federation) accedes 1 Oct 1991 ->
  1 Jan 1992.
* CAT (IV-9), in force 26 Jun 1987, 30 days after deposit: Russian Federation (ratified 3 Mar
  1987) and Denmark (27 May 1987) from 26 Jun 1987; China (4 Oct 1988) from 3 Nov 1988; United
  Kingdom (8 Dec 1988) from 7 Jan 1989; Czech Republic (succession 22 Feb 1993) from
  24 Mar 1993. Inquiry (opt-out): Russian reservation 3 Mar 1987 withdrawn 1 Oct 1991, Chinese
  reservation never withdrawn. Opt-in: Denmark arts. 21 and 22 (27 May 1987), United Kingdom
  art. 21 only (8 Dec 1988), Russian Federation arts. 21 and 22 (1 Oct 1991).
* OPCAT (IV-9-b), in force 22 Jun 2006: UK ratifies 10 Dec 2003, Denmark 25 Jun 2004 (both
  signed 26 Jun 2003) -> parties from 22 Jun 2006; Ireland signed 2 Oct 2007 only.
* ETS 126, first day of the month after 3 months / 12 months: Russian ratification 5 May 1998
  with a secondary-source entry into force of 1 Sep 1998; denunciation received on or after
  29 Sep 2025 (day unknown) -> ends 1 Oct 2026 at the earliest, no latest bound.
* ETS 5: Russian ratification 5 May 1998 (in force that day); loss of membership of the CoE
  16 Mar 2022 -> membership clause, six months -> party until 16 Sep 2022, then surviving
  obligations; the cessation (CM/Res(2022)3) publishes the same day.
* ETS 157: Russian ratification 21 Aug 1998, in force 1 Dec 1998 (published); a second source
  gives 21 Oct 1998 (a source conflict, computed 1 Feb 1999); denunciation received on or
  after 19 Oct 2023, effective 1 Aug 2024 as declared by the State.
* Additional Protocol I: ratification 29 Sep 1989 -> 29 Mar 1990 (six months); Article 90
  declaration 29 Sep 1989, withdrawn 23 Oct 2019.
* Rome Statute: Russian signature 13 Sep 2000, withdrawn 30 Nov 2016.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from treatykg import queries, resources

FIXTURE = Path(__file__).parent / "fixtures" / "queries"
ID = "https://w3id.org/treatykg/id/"
QUERY_FILES = sorted(resources.queries_dir().glob("*.rq"))

# columns that concatenate several values, and their separators
SPLIT = {"sources": " ", "otherSources": " ", "locators": "; ", "provisions": "; ", "objections": "; ",
         "provision": "; ", "acceptanceProvision": "; ", "bodyProvision": "; ", "imposedBy": "; "}


@pytest.fixture(scope="module")
def kg():
    from treatykg.kg import load_graph

    return load_graph([FIXTURE], use_cache=False)


def _short(v):
    if isinstance(v, str) and ID in v:
        return v.replace(ID, "")
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def _value(column, v):
    if column in SPLIT:
        return frozenset(_short(x) for x in (v or "").split(SPLIT[column]) if x)
    return _short(v)


def _rows(kg, name, params, columns):
    result = queries.run(kg, name, dict(params)).dicts()
    missing = [c for c in columns if result and c not in result[0]]
    assert not missing, f"{name}: no column {missing}"
    return [tuple(_value(c, r[c]) for c in columns) for r in result]


def S(*items):
    """A concatenated column as a set, written with short IRIs."""
    return frozenset(items)


# ---------------------------------------------------------------------------------------
# golden cases


@dataclass
class Case:
    query: str
    params: dict
    columns: tuple
    expected: list = field(default_factory=list)
    note: str = ""

    @property
    def id(self):
        p = ",".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.query}[{p}]{('-' + self.note) if self.note else ''}"


UNTC_IV5 = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-5&chapter=4&clang=_en"
CILEVICS_PRESS_1 = "https://cilevics.eu/minelres/archive/08241998-09_59_05-26289.html"
CILEVICS_PRESS_2 = "https://www.cilevics.eu/minelres/archive/12071998-12_33_04-7616.html"
CILEVICS_REPORT = "https://www.cilevics.eu/minelres/reports/russia/russia.htm"

P = "procedure/"
CASES: list[Case] = []


def case(query, params, columns, expected, note=""):
    CASES.append(Case(query, params, tuple(columns.split()), expected, note))


# ---- parties -------------------------------------------------------------------------
PARTY_COLS = "state status since until consentMode consent"
case("parties", {"treaty": "IV-9", "date": "2026-06-01"}, PARTY_COLS, [
    ("state/CHN", "bound", "1988-11-03", None, "Ratification", "act/untc-IV-9/CHN/ratification/1988-10-04"),
    ("state/CZE", "bound", "1993-03-24", None, "Succession", "act/untc-IV-9/CZE/succession/1993-02-22"),
    ("state/DNK", "bound", "1987-06-26", None, "Ratification", "act/untc-IV-9/DNK/ratification/1987-05-27"),
    ("state/GBR", "bound", "1989-01-07", None, "Ratification", "act/untc-IV-9/GBR/ratification/1988-12-08"),
    ("state/RUS", "bound", "1987-06-26", None, "Ratification", "act/untc-IV-9/RUS/ratification/1987-03-03"),
])
case("parties", {"treaty": "IV-9", "date": "1987-06-25"}, PARTY_COLS, [], "before general entry into force")
case("parties", {"treaty": "IV-9", "date": "1987-06-26"}, "state status since", [
    ("state/DNK", "bound", "1987-06-26"), ("state/RUS", "bound", "1987-06-26")])
case("parties", {"treaty": "IV-5", "date": "2022-11-07"}, "state status until", [
    ("state/BLR", "bound", "2023-02-08"), ("state/RUS", "bound", None)], "day before the notification")
case("parties", {"treaty": "IV-5", "date": "2022-11-08"}, "state status until untilLatest", [
    ("state/BLR", "bound, denunciation pending", "2023-02-08", "2023-02-08"), ("state/RUS", "bound", None, None)])
case("parties", {"treaty": "IV-5", "date": "2023-02-07"}, "state status", [
    ("state/BLR", "bound, denunciation pending"), ("state/RUS", "bound")], "last day bound")
case("parties", {"treaty": "IV-5", "date": "2023-02-08"}, "state status", [("state/RUS", "bound")], "denunciation effective")
case("parties", {"treaty": "IV-5", "date": "1998-08-25"}, "state status since consent", [
    ("state/BLR", "bound", "1992-12-30", "act/untc-IV-5/BLR/accession/1992-09-30"),
    ("state/RUS", "bound", "1992-01-01", "act/untc-IV-5/RUS/accession/1991-10-01"),
    ("state/TTO", "bound, denunciation pending", "1981-02-14", "act/untc-IV-5/TTO/accession/1980-11-14")])
case("parties", {"treaty": "IV-5", "date": "1998-08-26"}, "state status since consent", [
    ("state/BLR", "bound", "1992-12-30", "act/untc-IV-5/BLR/accession/1992-09-30"),
    ("state/RUS", "bound", "1992-01-01", "act/untc-IV-5/RUS/accession/1991-10-01"),
    ("state/TTO", "bound", "1998-08-26", "act/untc-IV-5/TTO/accession/1998-05-26")], "re-accession")
case("parties", {"treaty": "ETS-126", "date": "2025-09-28"}, "state status", [("state/RUS", "bound")])
case("parties", {"treaty": "ETS-126", "date": "2025-09-29"}, "state status until untilLatest", [
    ("state/RUS", "bound, denunciation pending", "2026-10-01", None)])
case("parties", {"treaty": "ETS-126", "date": "2026-09-30"}, "state status", [("state/RUS", "bound, denunciation pending")])
case("parties", {"treaty": "ETS-126", "date": "2026-10-01"}, "state status", [("state/RUS", "uncertain")],
     "end only bounded below")
case("parties", {"treaty": "ETS-5", "date": "2022-03-15"}, "state status", [("state/RUS", "bound")])
case("parties", {"treaty": "ETS-5", "date": "2022-03-16"}, "state status until", [
    ("state/RUS", "bound, end pending", "2022-09-16")], "membership loss is not a denunciation")
case("parties", {"treaty": "ETS-5", "date": "2022-09-16"}, "state status", [], "surviving obligations only")
case("parties", {"treaty": "IV-9-b", "date": "2005-01-01"}, "state", [], "consented, not in force")
case("parties", {"treaty": "IV-9-b", "date": "2006-06-22"}, "state status since", [
    ("state/DNK", "bound", "2006-06-22"), ("state/GBR", "bound", "2006-06-22")])
case("parties", {"treaty": "XVIII-10", "date": "2010-01-01"}, "state", [], "signatory only")

# ---- treaties-of-state -----------------------------------------------------------------
TOS = "treatyId status since until consentMode"
case("treaties-of-state", {"state": "RUS", "date": "2023-01-01"}, TOS, [
    ("AP-I", "bound", "1990-03-29", None, "Ratification"),
    ("ETS-126", "bound", "1998-09-01", "2026-10-01", "Ratification"),
    ("ETS-157", "bound", "1998-12-01", "2024-08-01", "Ratification"),
    ("ETS-5", "surviving obligations", "2022-09-16", None, None),
    ("IV-5", "bound", "1992-01-01", None, "Accession"),
    ("IV-9", "bound", "1987-06-26", None, "Ratification"),
])
case("treaties-of-state", {"state": "RUS", "date": "2024-01-01"}, "treatyId status", [
    ("AP-I", "bound"), ("ETS-126", "bound"), ("ETS-157", "bound, denunciation pending"),
    ("ETS-5", "surviving obligations"), ("IV-5", "bound"), ("IV-9", "bound")])
case("treaties-of-state", {"state": "RUS", "date": "1990-01-01"}, "treatyId status consent", [
    ("IV-9", "bound", "act/untc-IV-9/RUS/ratification/1987-03-03")], "AP I not yet in force for it")
case("treaties-of-state", {"state": "CZE", "date": "1993-03-23"}, "treatyId", [], "succession not yet effective")
case("treaties-of-state", {"state": "CZE", "date": "1993-03-24"}, "treatyId consentMode", [("IV-9", "Succession")])
case("treaties-of-state", {"state": "IRL", "date": "2026-06-01"}, "treatyId", [], "a signatory is no party")

# ---- signatories -------------------------------------------------------------------------
SIG = "state status from actClass"
case("signatories", {"treaty": "IV-9-b", "date": "2003-07-01"}, SIG, [
    ("state/DNK", "signatory", "2003-06-26", "Signature"), ("state/GBR", "signatory", "2003-06-26", "Signature")])
case("signatories", {"treaty": "IV-9-b", "date": "2004-01-01"}, SIG, [
    ("state/DNK", "signatory", "2003-06-26", "Signature"),
    ("state/GBR", "consented, not yet in force", "2003-12-10", "Ratification")])
case("signatories", {"treaty": "IV-9-b", "date": "2005-01-01"}, "state status from act", [
    ("state/DNK", "consented, not yet in force", "2004-06-25", "act/untc-IV-9-b/DNK/ratification/2004-06-25"),
    ("state/GBR", "consented, not yet in force", "2003-12-10", "act/untc-IV-9-b/GBR/ratification/2003-12-10")])
case("signatories", {"treaty": "IV-9-b", "date": "2026-06-01"}, SIG, [
    ("state/IRL", "signatory", "2007-10-02", "Signature")], "parties are not signatories")
case("signatories", {"treaty": "XVIII-10", "date": "2016-11-29"}, SIG, [
    ("state/RUS", "signatory", "2000-09-13", "Signature")])
case("signatories", {"treaty": "XVIII-10", "date": "2016-11-30"}, SIG, [], "signature withdrawn")
case("signatories", {"treaty": "IV-5", "date": "1998-06-01"}, SIG, [], "re-accession pending but still bound")
case("signatories", {"treaty": "IV-9", "date": "1987-04-01"}, SIG, [
    ("state/CHN", "signatory", "1986-12-12", "Signature"),
    ("state/DNK", "signatory", "1985-02-04", "Signature"),
    ("state/GBR", "signatory", "1985-03-15", "Signature"),
    ("state/RUS", "consented, not yet in force", "1987-03-03", "Ratification")])

# ---- left-oversight ----------------------------------------------------------------------
LEFT = "procedure until untilLatest certain endedByClass endBasis endRule obligationsSurvive"
CLAUSE_126 = "treaty/coe-ets-126/clause/denunciation"
case("left-oversight", {"state": "RUS", "from": "2019-01-01", "to": "2027-01-01"}, LEFT, [
    (P + "ihl-ap1/fact-finding", "2019-10-23", "2019-10-23", True, "WithdrawalOfDeclaration", "computed", None, False),
    (P + "coe-ets-5/individual-complaints", "2022-09-16", "2022-09-16", True, "CessationOfParty", "published", None, True),
    (P + "coe-ets-5/inter-state-complaints", "2022-09-16", "2022-09-16", True, "CessationOfParty", "published", None, True),
    (P + "coe-ets-157/state-reporting", "2024-08-01", "2024-08-01", True, "Denunciation", "declared-by-state", None, False),
    (P + "coe-ets-126/ad-hoc-visits", "2026-10-01", None, False, "Denunciation", "computed", CLAUSE_126, False),
    (P + "coe-ets-126/periodic-visits", "2026-10-01", None, False, "Denunciation", "computed", CLAUSE_126, False),
    (P + "coe-ets-126/public-statement", "2026-10-01", None, False, "Denunciation", "computed", CLAUSE_126, False),
])
case("left-oversight", {"state": "RUS", "from": "2023-01-01", "to": "2026-10-01"}, "procedure until certain", [
    (P + "coe-ets-157/state-reporting", "2024-08-01", True)], "ETS 126 can end only from 2026-10-01")
case("left-oversight", {"state": "RUS", "from": "2026-10-01", "to": "2026-10-02"}, "procedure certain", [
    (P + "coe-ets-126/ad-hoc-visits", False), (P + "coe-ets-126/periodic-visits", False),
    (P + "coe-ets-126/public-statement", False)])
case("left-oversight", {"state": "RUS", "from": "2022-09-17", "to": "2024-08-01"}, "procedure", [], "nothing ends in the window")
case("left-oversight", {"state": "TTO", "from": "1990-01-01", "to": "2027-01-01"}, "procedure until endedBy endBasis", [
    (P + "untc-IV-5/individual-complaints", "2000-06-27", "act/untc-IV-5/TTO/denunciation/2000-03-27", "published")],
    "the 1998 denunciation is continued by the re-accession")
case("left-oversight", {"state": "BLR", "from": "2023-01-01", "to": "2024-01-01"}, "procedure until certain endBasis endRule", [
    (P + "untc-IV-5/individual-complaints", "2023-02-08", True, "computed", "treaty/untc-IV-5/clause/denunciation")])
case("left-oversight", {"state": "BLR", "from": "2023-02-09", "to": "2024-01-01"}, "procedure", [])

# ---- state-timeline ----------------------------------------------------------------------
TL = "date event node class status act effectiveDate basis"
TTO5 = "act/untc-IV-5/TTO/"
case("state-timeline", {"state": "TTO"}, TL, [
    ("1980-11-14", "act", TTO5 + "accession/1980-11-14", "Accession", None, TTO5 + "accession/1980-11-14", "1981-02-14", "computed"),
    ("1981-02-14", "starts", "status/TTO/untc-IV-5/1981-02-14", "PartyStatus", "party", TTO5 + "accession/1980-11-14", "1981-02-14", "computed"),
    ("1981-02-14", "starts", "status/TTO/untc-IV-5/individual-complaints/1981-02-14", "ProcedureStatus", "party",
     TTO5 + "accession/1980-11-14", "1981-02-14", "computed"),
    ("1998-05-26", "act", TTO5 + "accession/1998-05-26", "Accession", None, TTO5 + "accession/1998-05-26", "1998-08-26", "published"),
    ("1998-05-26", "act", TTO5 + "denunciation/1998-05-26", "Denunciation", None, TTO5 + "denunciation/1998-05-26", "1998-08-26", "published"),
    ("1998-05-26", "act", TTO5 + "reservation/1998-05-26/art-1", "Reservation", None, TTO5 + "reservation/1998-05-26/art-1", "1998-05-26", "computed"),
    ("1998-08-26", "ends", "status/TTO/untc-IV-5/1981-02-14", "PartyStatus", "party", TTO5 + "denunciation/1998-05-26", "1998-08-26", "published"),
    ("1998-08-26", "ends", "status/TTO/untc-IV-5/individual-complaints/1981-02-14", "ProcedureStatus", "party",
     TTO5 + "denunciation/1998-05-26", "1998-08-26", "published"),
    ("1998-08-26", "starts", "status/TTO/untc-IV-5/1998-08-26", "PartyStatus", "party", TTO5 + "accession/1998-05-26", "1998-08-26", "published"),
    ("1998-08-26", "starts", "status/TTO/untc-IV-5/individual-complaints/1998-08-26", "ProcedureStatus", "party",
     TTO5 + "accession/1998-05-26", "1998-08-26", "published"),
    ("2000-03-27", "act", TTO5 + "denunciation/2000-03-27", "Denunciation", None, TTO5 + "denunciation/2000-03-27", "2000-06-27", "published"),
    ("2000-06-27", "ends", "status/TTO/untc-IV-5/1998-08-26", "PartyStatus", "party", TTO5 + "denunciation/2000-03-27", "2000-06-27", "published"),
    ("2000-06-27", "ends", "status/TTO/untc-IV-5/individual-complaints/1998-08-26", "ProcedureStatus", "party",
     TTO5 + "denunciation/2000-03-27", "2000-06-27", "published"),
])
case("state-timeline", {"state": "BLR"}, "date event node treatyId procedure sources", [
    ("1992-09-30", "act", "act/untc-IV-5/BLR/accession/1992-09-30", "IV-5", None, S(UNTC_IV5)),
    ("1992-12-30", "starts", "status/BLR/untc-IV-5/1992-12-30", "IV-5", None, S(UNTC_IV5)),
    ("1992-12-30", "starts", "status/BLR/untc-IV-5/individual-complaints/1992-12-30", "IV-5",
     P + "untc-IV-5/individual-complaints", S(UNTC_IV5)),
    ("2022-11-08", "act", "act/untc-IV-5/BLR/denunciation/2022-11-08", "IV-5", None, S(UNTC_IV5)),
    ("2023-02-08", "ends", "status/BLR/untc-IV-5/1992-12-30", "IV-5", None, S(UNTC_IV5)),
    ("2023-02-08", "ends", "status/BLR/untc-IV-5/individual-complaints/1992-12-30", "IV-5",
     P + "untc-IV-5/individual-complaints", S(UNTC_IV5)),
])

# ---- visits ----------------------------------------------------------------------------------
VISITS = "visit date dateEarliest dateLatest datePrecision endDate type report reportSymbol published publishedEarliest publishedLatest"
ALL_VISITS = [
    ("visit/cpt/RUS/1998-11", None, "1998-11-01", "1998-11-30", "month", None, "periodic", None, None, None, None, None),
    ("visit/cpt/RUS/2001-12-02", "2001-12-02", None, None, None, "2001-12-17", None, "document/cpt/CPT-Inf-2003-30",
     "CPT/Inf (2003) 30", "2003-06-30", None, None),
    ("visit/cpt/RUS/2010-04-13", "2010-04-13", None, None, None, None, "high-level-talks", None, None, None, None, None),
    ("visit/cpt/RUS/2011-04-27", "2011-04-27", None, None, None, "2011-05-06", "ad-hoc", "document/cpt/CPT-Inf-2013-1",
     "CPT/Inf (2013) 1", "2013-01-24", None, None),
    ("visit/cpt/RUS/2012-05-21", "2012-05-21", None, None, None, "2012-06-04", "periodic",
     "document/cpt/report-RUS-visit-2012-05-21", None, None, "2012-06-04", "2014-09-24"),
    ("visit/cpt/RUS/2016-11-30", "2016-11-30", None, None, None, "2016-12-13", "periodic", None, None, None, None, None),
    ("visit/cpt/RUS/2017", None, "2017-01-01", "2017-12-31", "year", None, None, None, None, None, None, None),
]
case("visits", {"state": "RUS"}, VISITS, ALL_VISITS)
case("visits", {"state": "RUS", "body": "cpt"}, VISITS, ALL_VISITS, "body given")
case("visits", {"state": "RUS", "body": "spt"}, "visit", [], "another body")
case("visits", {"state": "GBR"}, "visit", [], "no visit recorded")

# ---- pending-denunciations ----------------------------------------------------------------
PEND = "state treatyId denunciation notified notifiedEarliest effective effectiveEarliest basis status"
case("pending-denunciations", {"date": "2026-06-01"}, PEND + " rule", [
    ("state/RUS", "ETS-126", "act/coe-ets-126/RUS/denunciation/undated", None, "2025-09-29", None, "2026-10-01",
     "computed", "pending", CLAUSE_126)])
case("pending-denunciations", {"date": "2026-10-01"}, "state treatyId status", [("state/RUS", "ETS-126", "uncertain")])
case("pending-denunciations", {"date": "2022-11-07"}, PEND, [], "loss of membership is not a denunciation")
case("pending-denunciations", {"date": "2022-11-08"}, PEND, [
    ("state/BLR", "IV-5", "act/untc-IV-5/BLR/denunciation/2022-11-08", "2022-11-08", None, "2023-02-08", None, "computed", "pending")])
case("pending-denunciations", {"date": "2023-02-08"}, PEND, [], "effective")
case("pending-denunciations", {"date": "2024-01-01"}, PEND, [
    ("state/RUS", "ETS-157", "act/coe-ets-157/RUS/denunciation/undated", None, "2023-10-19", "2024-08-01", None,
     "declared-by-state", "pending")])
case("pending-denunciations", {"date": "1998-06-01"}, "state denunciation effective basis", [
    ("state/TTO", "act/untc-IV-5/TTO/denunciation/1998-05-26", "1998-08-26", "published")])

# ---- unconfirmed-facts -----------------------------------------------------------------------
CURATED = "source/treatykg/curated-facts/2026"
SKAL = "source/web/645012.skal.fun/edd3c9cf5659ca4b"
UNTC9 = "source/untc/IV-9/2026-02-03"
case("unconfirmed-facts", {}, "node what class source", [
    ("act/coe-ets-126/RUS/denunciation/undated", "date", "Denunciation", CURATED),
    ("act/coe-ets-126/RUS/denunciation/undated", "date", "Denunciation", "source/web/en.interfax.com.ua/05bb84d20391499f"),
    ("act/coe-ets-126/RUS/ratification/1998-05-05", "date", "Ratification", CURATED),
    ("act/coe-ets-126/RUS/ratification/1998-05-05", "date", "Ratification", "source/web/www.kommersant.ru/512548e9e355c2f8"),
    ("act/untc-IV-9/RUS/declaration/1991-10-01/art-21", "date", "Declaration", UNTC9),
    ("act/untc-IV-9/RUS/declaration/1991-10-01/art-21", "date", "Declaration", SKAL),
    ("act/untc-IV-9/RUS/signature/1985-12-10", "fact", "Signature", CURATED),
    ("act/untc-IV-9/RUS/signature/1985-12-10", "fact", "Signature", UNTC9),
    ("act/untc-IV-9/RUS/withdrawal-of-reservation/1991-10-01/art-20", "date", "WithdrawalOfReservation", UNTC9),
    ("act/untc-IV-9/RUS/withdrawal-of-reservation/1991-10-01/art-20", "date", "WithdrawalOfReservation", SKAL),
    ("act/untc-XVIII-10/RUS/withdrawal-of-signature/2016-11-30", "fact", "WithdrawalOfSignature", CURATED),
])

# ---- declarations-in-force ---------------------------------------------------------------------
DECL = "state act kind made status since withdrawnBy withdrawnOn"
R20 = "act/untc-IV-9/RUS/reservation/1987-03-03/art-20"
C20 = "act/untc-IV-9/CHN/reservation/1988-10-04/art-20"
W20 = "act/untc-IV-9/RUS/withdrawal-of-reservation/1991-10-01/art-20"
case("declarations-in-force", {"procedure": "untc-IV-9/inquiry", "date": "1990-01-01"}, DECL, [
    ("state/CHN", C20, "reservation", "1988-10-04", "excludes", None, None, None),
    ("state/RUS", R20, "reservation", "1987-03-03", "excludes", None, None, None)])
case("declarations-in-force", {"procedure": "untc-IV-9/inquiry", "date": "1991-10-01"}, DECL, [
    ("state/CHN", C20, "reservation", "1988-10-04", "excludes", None, None, None),
    ("state/RUS", R20, "reservation", "1987-03-03", "withdrawn", None, W20, "1991-10-01")])
case("declarations-in-force", {"procedure": "untc-IV-9/inquiry", "date": "1987-03-02"}, DECL, [], "before any reservation")
case("declarations-in-force", {"procedure": "untc-IV-9/individual-complaints", "date": "2026-06-01"}, DECL, [
    ("state/DNK", "act/untc-IV-9/DNK/declaration/1987-05-27/art-22", "declaration", "1987-05-27", "in force", "1987-06-26", None, None),
    ("state/RUS", "act/untc-IV-9/RUS/declaration/1991-10-01/art-22", "declaration", "1991-10-01", "in force", "1991-10-01", None, None),
], "the United Kingdom made no declaration")
case("declarations-in-force", {"procedure": "untc-IV-9/individual-complaints", "date": "1987-06-01"}, DECL, [
    ("state/DNK", "act/untc-IV-9/DNK/declaration/1987-05-27/art-22", "declaration", "1987-05-27", "not in force", None, None, None)],
    "made before the Convention was in force")
case("declarations-in-force", {"procedure": "untc-IV-9/inter-state-complaints", "date": "2026-06-01"}, "state status since", [
    ("state/DNK", "in force", "1987-06-26"), ("state/GBR", "in force", "1989-01-07"), ("state/RUS", "in force", "1991-10-01")])
case("declarations-in-force", {"procedure": "untc-IV-9/inter-state-complaints", "date": "1988-12-31"}, "state status since", [
    ("state/DNK", "in force", "1987-06-26"), ("state/GBR", "not in force", None)])
case("declarations-in-force", {"procedure": "ihl-ap1/fact-finding", "date": "2019-10-22"}, DECL, [
    ("state/RUS", "act/ihl-ap1/RUS/declaration/1989-09-29/art-90", "declaration", "1989-09-29", "in force", "1990-03-29", None, None)])
case("declarations-in-force", {"procedure": "ihl-ap1/fact-finding", "date": "2019-10-23"}, DECL, [
    ("state/RUS", "act/ihl-ap1/RUS/declaration/1989-09-29/art-90", "declaration", "1989-09-29", "withdrawn", None,
     "act/ihl-ap1/RUS/withdrawal-of-declaration/2019-10-23/art-90", "2019-10-23")])

# ---- computed-effective-dates ---------------------------------------------------------------
CED = "act class effective effectiveEarliest rule ruleProvision"
EIF5 = "treaty/untc-IV-5/clause/entry-into-force"
case("computed-effective-dates", {"treaty": "IV-5"}, CED, [
    ("act/untc-IV-5/BLR/accession/1992-09-30", "Accession", "1992-12-30", None, EIF5, "Article 9(2)"),
    ("act/untc-IV-5/BLR/denunciation/2022-11-08", "Denunciation", "2023-02-08", None, "treaty/untc-IV-5/clause/denunciation", "Article 12(1)"),
    ("act/untc-IV-5/RUS/accession/1991-10-01", "Accession", "1992-01-01", None, EIF5, "Article 9(2)"),
    ("act/untc-IV-5/TTO/accession/1980-11-14", "Accession", "1981-02-14", None, EIF5, "Article 9(2)"),
    ("act/untc-IV-5/TTO/reservation/1998-05-26/art-1", "Reservation", "1998-05-26", None, None, None),
], "published dates are not listed")
case("computed-effective-dates", {"treaty": "ETS-126"}, CED, [
    ("act/coe-ets-126/RUS/denunciation/undated", "Denunciation", None, "2026-10-01", CLAUSE_126, "Article 22(2)")])
case("computed-effective-dates", {"treaty": "ETS-5"}, CED, [], "every date published")
case("computed-effective-dates", {"treaty": "ETS-157"}, CED, [
    ("act/coe-ets-157/RUS/ratification/1998-10-21", "Ratification", "1999-02-01", None,
     "treaty/coe-ets-157/clause/entry-into-force", "Article 28(2)")], "the conflicting record")
case("computed-effective-dates", {"treaty": "IV-9"}, "actor act effective", [
    ("state/CHN", "act/untc-IV-9/CHN/ratification/1988-10-04", "1988-11-03"),
    ("state/CHN", "act/untc-IV-9/CHN/reservation/1988-10-04/art-20", "1988-10-04"),
    ("state/CZE", "act/untc-IV-9/CZE/succession/1993-02-22", "1993-03-24"),
    ("state/DNK", "act/untc-IV-9/DNK/declaration/1987-05-27/art-21", "1987-05-27"),
    ("state/DNK", "act/untc-IV-9/DNK/declaration/1987-05-27/art-22", "1987-05-27"),
    ("state/DNK", "act/untc-IV-9/DNK/ratification/1987-05-27", "1987-06-26"),
    ("state/GBR", "act/untc-IV-9/GBR/declaration/1988-12-08/art-21", "1988-12-08"),
    ("state/GBR", "act/untc-IV-9/GBR/ratification/1988-12-08", "1989-01-07"),
    ("state/RUS", "act/untc-IV-9/RUS/ratification/1987-03-03", "1987-06-26"),
    ("state/RUS", R20, "1987-03-03"),
    ("state/RUS", "act/untc-IV-9/RUS/declaration/1991-10-01/art-21", "1991-10-01"),
    ("state/RUS", W20, "1991-10-01"),
], "the published art. 22 declaration of the USSR is not listed")

# ---- fact-sources ----------------------------------------------------------------------------
case("fact-sources", {"node": ID + "act/coe-ets-157/RUS/ratification/1998-08-21"}, "role fact factDate url statusAsOf", [
    ("asserts", "act/coe-ets-157/RUS/ratification/1998-08-21", "1998-08-21", CILEVICS_PRESS_1, "1998-08-21"),
    ("asserts", "act/coe-ets-157/RUS/ratification/1998-08-21", "1998-08-21", CILEVICS_PRESS_2, "1998-12-01"),
    ("conflicts", "act/coe-ets-157/RUS/ratification/1998-10-21", "1998-10-21", CILEVICS_REPORT, "2000-03-08"),
])
case("fact-sources", {"node": ID + "status/RUS/coe-ets-5/1998-05-05"}, "role fact source", [
    ("supports", "act/coe-ets-5/RUS/ratification/1998-05-05", "source/web/www.deutschlandfunk.de/244ae0f37731c634"),
    ("supports", "event/cessation-of-party/RUS/coe-ets-5/2022-03-23", "source/web/coe.int/de76cb3d6ac3bc66"),
    ("supports", "event/membership-loss/RUS/coe/2022-03-16", "source/web/www.coe.int/2a1d840b2e3ff6f3"),
], "a derived span: the sources of what it rests on")
case("fact-sources", {"node": ID + "act/untc-IV-5/TTO/denunciation/1998-05-26"}, "role fact url", [
    ("asserts", "act/untc-IV-5/TTO/denunciation/1998-05-26", UNTC_IV5)], "a later denunciation in the same source is no conflict")
case("fact-sources", {"node": ID + "act/coe-ets-126/RUS/ratification/1998-05-05"}, "role source locators", [
    ("asserts", "source/web/www.kommersant.ru/512548e9e355c2f8", S("facts.md A13", "facts.md A14")),
    ("asserts", CURATED, S("facts.md A13", "facts.md A14"))], "ordered by status-as-of")

# ---- source-conflicts ----------------------------------------------------------------------------
CONFLICT = ("state/RUS", "ETS-157", "Ratification", "act/coe-ets-157/RUS/ratification/1998-08-21", "1998-08-21",
            S(CILEVICS_PRESS_1, CILEVICS_PRESS_2), "act/coe-ets-157/RUS/ratification/1998-10-21", "1998-10-21",
            S(CILEVICS_REPORT))
SC = "state treatyId class act date sources otherAct otherDate otherSources"
case("source-conflicts", {}, SC, [CONFLICT],
     "not the two Trinidad and Tobago denunciations (one source), nor declarations of one day on two articles")

# ---- membership-endings --------------------------------------------------------------------------
ME = "state org lossDate treatyId how until untilLatest endedByClass obligationsSurvive"
ENDINGS = [
    ("state/RUS", "org/coe", "2022-03-16", "ETS-5", "cessation", "2022-09-16", "2022-09-16", "CessationOfParty", True),
    ("state/RUS", "org/coe", "2022-03-16", "ETS-157", "denunciation", "2024-08-01", "2024-08-01", "Denunciation", False),
    ("state/RUS", "org/coe", "2022-03-16", "ETS-126", "denunciation", "2026-10-01", None, "Denunciation", False),
]
case("membership-endings", {}, ME, ENDINGS)
case("membership-endings", {"organization": "coe"}, ME, ENDINGS, "organisation by key")
case("membership-endings", {"organization": ID + "org/coe"}, ME, ENDINGS, "organisation by IRI")
case("membership-endings", {"organization": "un"}, ME, [], "no loss of UN membership")

# ---- treaty-procedures --------------------------------------------------------------------------
TP = "procedure kind mode provision body bodyProvision obligation obligationKind imposedBy beneficiary"
case("treaty-procedures", {"treaty": "ETS-126"}, TP, [
    (P + "coe-ets-126/ad-hoc-visits", "ad-hoc-visits", "automatic", S("Article 7(1)"), "body/cpt", S("Article 1"),
     "obligation/coe-ets-126/cooperate", "cooperate", S("Article 3"), "body/cpt"),
    (P + "coe-ets-126/ad-hoc-visits", "ad-hoc-visits", "automatic", S("Article 7(1)"), "body/cpt", S("Article 1"),
     "obligation/coe-ets-126/grant-access", "grant-access", S("Article 8(2)(c)"), "body/cpt"),
    (P + "coe-ets-126/periodic-visits", "periodic-visits", "automatic", S("Article 7(1)"), "body/cpt", S("Article 1"),
     "obligation/coe-ets-126/cooperate", "cooperate", S("Article 3"), "body/cpt"),
    (P + "coe-ets-126/periodic-visits", "periodic-visits", "automatic", S("Article 7(1)"), "body/cpt", S("Article 1"),
     "obligation/coe-ets-126/grant-access", "grant-access", S("Article 8(2)(c)"), "body/cpt"),
    (P + "coe-ets-126/public-statement", "public-statement", "automatic", S("Article 10(2)"), "body/cpt", S("Article 1"),
     "obligation/coe-ets-126/cooperate", "cooperate", S("Article 3"), "body/cpt"),
])
case("treaty-procedures", {"treaty": "ETS-5"}, "procedure obligation imposedBy beneficiary", [
    (P + "coe-ets-5/individual-complaints", "obligation/coe-ets-5/abide-by-judgments", S("Article 46(1)"), "body/ecthr"),
    (P + "coe-ets-5/individual-complaints", "obligation/coe-ets-5/not-hinder-applications", S("Article 34"), "body/ecthr"),
    (P + "coe-ets-5/inter-state-complaints", "obligation/coe-ets-5/abide-by-judgments", S("Article 46(1)"), "body/ecthr"),
    (None, "obligation/coe-ets-5/furnish-explanations", S("Article 52"), "org/coe"),
], "an obligation serving no procedure comes last")
case("treaty-procedures", {"treaty": "IV-9"}, "procedure mode provision acceptanceProvision obligation", [
    (P + "untc-IV-9/individual-complaints", "opt-in", S("Article 22"), S("Article 22"), None),
    (P + "untc-IV-9/inquiry", "opt-out", S("Article 20"), S("Article 28"), None),
    (P + "untc-IV-9/inter-state-complaints", "opt-in", S("Article 21"), S("Article 21"), None),
    (P + "untc-IV-9/state-reporting", "automatic", S("Article 19"), S(), "obligation/untc-IV-9/submit-report"),
])
case("treaty-procedures", {"treaty": "XVIII-10"}, "procedure", [], "no oversight procedure")

# ---- partial-dates -------------------------------------------------------------------------------
case("partial-dates", {}, "node class state dateEarliest dateLatest precision confidence", [
    ("act/coe-ets-126/RUS/denunciation/undated", "Denunciation", "state/RUS", "2025-09-29", None, "unknown", "unconfirmed"),
    ("act/coe-ets-157/RUS/denunciation/undated", "Denunciation", "state/RUS", "2023-10-19", None, "unknown", "high"),
    ("visit/cpt/RUS/1998-11", "MonitoringVisit", "state/RUS", "1998-11-01", "1998-11-30", "month", "high"),
    ("visit/cpt/RUS/2017", "MonitoringVisit", "state/RUS", "2017-01-01", "2017-12-31", "year", "high"),
])

# ---- oversight-matrix ---------------------------------------------------------------------------
B = "bound"
case("oversight-matrix", {"date": "2023-01-01"}, "state procedure status", [
    ("state/RUS", P + "coe-ets-5/individual-complaints", "surviving obligations"),
    ("state/RUS", P + "coe-ets-5/inter-state-complaints", "surviving obligations"),
    ("state/RUS", P + "coe-ets-126/periodic-visits", B), ("state/RUS", P + "coe-ets-126/ad-hoc-visits", B),
    ("state/RUS", P + "coe-ets-126/public-statement", B), ("state/RUS", P + "coe-ets-157/state-reporting", B),
    ("state/RUS", P + "untc-IV-9/state-reporting", B), ("state/RUS", P + "untc-IV-9/inquiry", B),
    ("state/RUS", P + "untc-IV-9/inter-state-complaints", B), ("state/RUS", P + "untc-IV-9/individual-complaints", B),
    ("state/RUS", P + "untc-IV-5/individual-complaints", B),
    ("state/BLR", P + "untc-IV-5/individual-complaints", "bound, denunciation pending"),
    ("state/CHN", P + "untc-IV-9/state-reporting", B),
    ("state/CZE", P + "untc-IV-9/state-reporting", B), ("state/CZE", P + "untc-IV-9/inquiry", B),
    ("state/DNK", P + "untc-IV-9/state-reporting", B), ("state/DNK", P + "untc-IV-9/inquiry", B),
    ("state/DNK", P + "untc-IV-9/inter-state-complaints", B), ("state/DNK", P + "untc-IV-9/individual-complaints", B),
    ("state/DNK", P + "untc-IV-9-b/periodic-visits", B),
    ("state/GBR", P + "untc-IV-9/state-reporting", B), ("state/GBR", P + "untc-IV-9/inquiry", B),
    ("state/GBR", P + "untc-IV-9/inter-state-complaints", B), ("state/GBR", P + "untc-IV-9-b/periodic-visits", B),
], "China's reservation keeps it out of the inquiry; the UK made no art. 22 declaration")
case("oversight-matrix", {"date": "1987-06-25"}, "state procedure status since until", [
    ("state/TTO", P + "untc-IV-5/individual-complaints", B, "1981-02-14", "1998-08-26")], "before CAT entered into force")
case("oversight-matrix", {"date": "2022-06-01"}, "state procedure status", [
    ("state/RUS", P + "coe-ets-5/individual-complaints", "bound, end pending"),
    ("state/RUS", P + "coe-ets-5/inter-state-complaints", "bound, end pending"),
    ("state/RUS", P + "coe-ets-126/periodic-visits", B), ("state/RUS", P + "coe-ets-126/ad-hoc-visits", B),
    ("state/RUS", P + "coe-ets-126/public-statement", B), ("state/RUS", P + "coe-ets-157/state-reporting", B),
    ("state/RUS", P + "untc-IV-9/state-reporting", B), ("state/RUS", P + "untc-IV-9/inquiry", B),
    ("state/RUS", P + "untc-IV-9/inter-state-complaints", B), ("state/RUS", P + "untc-IV-9/individual-complaints", B),
    ("state/RUS", P + "untc-IV-5/individual-complaints", B),
    ("state/BLR", P + "untc-IV-5/individual-complaints", B),
    ("state/CHN", P + "untc-IV-9/state-reporting", B),
    ("state/CZE", P + "untc-IV-9/state-reporting", B), ("state/CZE", P + "untc-IV-9/inquiry", B),
    ("state/DNK", P + "untc-IV-9/state-reporting", B), ("state/DNK", P + "untc-IV-9/inquiry", B),
    ("state/DNK", P + "untc-IV-9/inter-state-complaints", B), ("state/DNK", P + "untc-IV-9/individual-complaints", B),
    ("state/DNK", P + "untc-IV-9-b/periodic-visits", B),
    ("state/GBR", P + "untc-IV-9/state-reporting", B), ("state/GBR", P + "untc-IV-9/inquiry", B),
    ("state/GBR", P + "untc-IV-9/inter-state-complaints", B), ("state/GBR", P + "untc-IV-9-b/periodic-visits", B),
], "ECHR: notice of the end by loss of membership")

# ---- denunciations -------------------------------------------------------------------------------
DEN = "state treatyId denunciation notified notifiedEarliest effective effectiveEarliest basis endsParticipation"
D_TTO_2000 = ("state/TTO", "IV-5", "act/untc-IV-5/TTO/denunciation/2000-03-27", "2000-03-27", None, "2000-06-27", None, "published", True)
D_BLR = ("state/BLR", "IV-5", "act/untc-IV-5/BLR/denunciation/2022-11-08", "2022-11-08", None, "2023-02-08", None, "computed", True)
D_157 = ("state/RUS", "ETS-157", "act/coe-ets-157/RUS/denunciation/undated", None, "2023-10-19", "2024-08-01", None, "declared-by-state", True)
D_126 = ("state/RUS", "ETS-126", "act/coe-ets-126/RUS/denunciation/undated", None, "2025-09-29", None, "2026-10-01", "computed", True)
case("denunciations", {"from": "2000-01-01", "organization": "coe"}, DEN, [D_157, D_126])
case("denunciations", {"from": "2000-01-01"}, DEN, [D_TTO_2000, D_BLR, D_157, D_126])
case("denunciations", {"from": "2000-03-28"}, DEN, [D_BLR, D_157, D_126])
case("denunciations", {"from": "1990-01-01", "organization": ID + "org/un"}, "denunciation", [
    ("act/untc-IV-5/TTO/denunciation/1998-05-26",), ("act/untc-IV-5/TTO/denunciation/2000-03-27",),
    ("act/untc-IV-5/BLR/denunciation/2022-11-08",)])
case("denunciations", {"from": "2026-01-01", "organization": "coe"}, "denunciation", [
    ("act/coe-ets-126/RUS/denunciation/undated",)], "receipt unknown; ETS 157 took effect before")

# ---- unpublished-reports ----------------------------------------------------------------------------
case("unpublished-reports", {}, "state body visit type since report", [
    ("state/RUS", "body/cpt", "visit/cpt/RUS/1998-11", "periodic", "1998-11-30", None),
    ("state/RUS", "body/cpt", "visit/cpt/RUS/2010-04-13", "high-level-talks", "2010-04-13", None),
    ("state/RUS", "body/cpt", "visit/cpt/RUS/2016-11-30", "periodic", "2016-12-13", None),
    ("state/RUS", "body/cpt", "visit/cpt/RUS/2017", None, "2017-12-31", None),
], "a report published within bounds counts as published")
case("unpublished-reports", {"state": "RUS", "body": "spt"}, "visit", [])
case("unpublished-reports", {"state": "GBR"}, "visit", [])

# ---- public-statements -------------------------------------------------------------------------------
PS = "state document symbol published publishedEarliest publishedLatest year precision"
case("public-statements", {"body": "cpt"}, PS, [
    ("state/RUS", "document/cpt/CPT-Inf-2007-17", "CPT/Inf (2007) 17", "2007-03-13", None, None, 2007, None),
    ("state/RUS", "document/cpt/public-statement-RUS-2019", None, None, "2019-01-01", "2019-12-31", 2019, "year"),
    ("state/RUS", "document/cpt/public-statement-RUS-2024-11-18", None, "2024-11-18", None, None, 2024, None),
])
case("public-statements", {"body": "un-cat"}, "document", [])

# ---- treaty-gaps -------------------------------------------------------------------------------------
case("treaty-gaps", {"treaty": "IV-9", "other": "ETS-126", "date": "2027-01-01"}, "state inTreaty inOther coverage", [
    ("state/RUS", "bound", "uncertain", "both"),
    ("state/CHN", "bound", None, "only treaty"), ("state/CZE", "bound", None, "only treaty"),
    ("state/DNK", "bound", None, "only treaty"), ("state/GBR", "bound", None, "only treaty")])
case("treaty-gaps", {"treaty": "IV-9", "other": "IV-9-b", "date": "2026-06-01"}, "state coverage", [
    ("state/DNK", "both"), ("state/GBR", "both"),
    ("state/CHN", "only treaty"), ("state/CZE", "only treaty"), ("state/RUS", "only treaty")])
case("treaty-gaps", {"treaty": "ETS-5", "other": "ETS-126", "date": "2023-01-01"}, "state inTreaty inOther coverage", [
    ("state/RUS", None, "bound", "only other")], "surviving obligations are not participation")

# ---- reservations -----------------------------------------------------------------------------------
RES = "act class date provisions accepts excludes objections withdrawnBy withdrawnOn"
case("reservations", {"state": "RUS", "treaty": "IV-9"}, RES, [
    (R20, "Reservation", "1987-03-03", S("Article 20"), None, P + "untc-IV-9/inquiry", S(), W20, "1991-10-01"),
    ("act/untc-IV-9/RUS/declaration/1991-10-01/art-21", "Declaration", "1991-10-01", S("Article 21"),
     P + "untc-IV-9/inter-state-complaints", None, S(), None, None),
    ("act/untc-IV-9/RUS/declaration/1991-10-01/art-22", "Declaration", "1991-10-01", S("Article 22"),
     P + "untc-IV-9/individual-complaints", None, S(), None, None),
])
case("reservations", {"state": "TTO", "treaty": "IV-5"}, RES, [
    ("act/untc-IV-5/TTO/reservation/1998-05-26/art-1", "Reservation", "1998-05-26", S("Article 1"), None, None,
     S("state/DEU 1999-08-13", "state/NLD 1999-08-06"), None, None)])
case("reservations", {"state": "CHN", "treaty": "IV-9"}, "act excludes withdrawnBy", [(C20, P + "untc-IV-9/inquiry", None)])
case("reservations", {"state": "BLR", "treaty": "IV-5"}, "act", [])

# ---- protocols ---------------------------------------------------------------------------------------
PR = "protocol kind inForce generalEntryIntoForce status since"
case("protocols", {"treaty": "ETS-126", "state": "RUS", "date": "2026-06-01"}, PR, [
    ("treaty/coe-ets-151", "AmendingProtocol", True, "2002-03-01", "bound as part of the treaty", "2002-03-01"),
    ("treaty/coe-ets-152", "AmendingProtocol", True, "2002-03-01", "bound as part of the treaty", "2002-03-01")])
case("protocols", {"treaty": "ETS-126", "state": "RUS", "date": "2001-01-01"}, "protocol inForce status", [
    ("treaty/coe-ets-151", False, "not bound"), ("treaty/coe-ets-152", False, "not bound")])
case("protocols", {"treaty": "ETS-126", "state": "RUS", "date": "2027-01-01"}, "protocol status", [
    ("treaty/coe-ets-151", "not bound"), ("treaty/coe-ets-152", "not bound")], "no longer certainly bound by the Convention")
case("protocols", {"treaty": "IV-9", "state": "GBR", "date": "2005-01-01"}, PR, [
    ("treaty/untc-IV-9-b", "OptionalProtocol", False, "2006-06-22", "not bound", None)])
case("protocols", {"treaty": "IV-9", "state": "GBR", "date": "2007-01-01"}, PR, [
    ("treaty/untc-IV-9-b", "OptionalProtocol", True, "2006-06-22", "bound", "2006-06-22")])
case("protocols", {"treaty": "IV-9", "state": "RUS", "date": "2026-06-01"}, "protocol status", [
    ("treaty/untc-IV-9-b", "not bound")], "an optional protocol needs its own consent")
case("protocols", {"treaty": "IV-4", "state": "RUS", "date": "2026-06-01"}, "protocol kind status since", [
    ("treaty/untc-IV-5", "OptionalProtocol", "bound", "1992-01-01")])

# ---- parties-by-year ---------------------------------------------------------------------------------
case("parties-by-year", {"treaty": "IV-5"}, "year joined left net", [
    (1981, 1, 0, 1), (1992, 2, 0, 2), (1998, 1, 1, 0), (2000, 0, 1, -1), (2023, 0, 1, -1)])
case("parties-by-year", {"treaty": "IV-9"}, "year joined left net", [
    (1987, 2, 0, 2), (1988, 1, 0, 1), (1989, 1, 0, 1), (1993, 1, 0, 1)])
case("parties-by-year", {"treaty": "ETS-126"}, "year joined left net", [(1998, 1, 0, 1), (2026, 0, 1, -1)],
     "the earliest possible end")
case("parties-by-year", {"treaty": "XVIII-10"}, "year", [], "signatories only")

# ---- successions -------------------------------------------------------------------------------------
SU = "state predecessor how treatyId act class date effective effectiveBasis"
R9 = "act/untc-IV-9/RUS/"
case("successions", {}, SU, [
    ("state/CZE", "state/CSK", "succession", "IV-9", "act/untc-IV-9/CZE/succession/1993-02-22", "Succession", "1993-02-22", "1993-03-24", "computed"),
    ("state/RUS", "state/SUN", "continuity", "AP-I", "act/ihl-ap1/RUS/declaration/1989-09-29/art-90", "Declaration", "1989-09-29", "1989-09-29", "computed"),
    ("state/RUS", "state/SUN", "continuity", "AP-I", "act/ihl-ap1/RUS/ratification/1989-09-29", "Ratification", "1989-09-29", "1990-03-29", "computed"),
    ("state/RUS", "state/SUN", "continuity", "IV-5", "act/untc-IV-5/RUS/accession/1991-10-01", "Accession", "1991-10-01", "1992-01-01", "computed"),
    ("state/RUS", "state/SUN", "continuity", "IV-9", R9 + "signature/1985-12-10", "Signature", "1985-12-10", None, None),
    ("state/RUS", "state/SUN", "continuity", "IV-9", R9 + "ratification/1987-03-03", "Ratification", "1987-03-03", "1987-06-26", "computed"),
    ("state/RUS", "state/SUN", "continuity", "IV-9", R20, "Reservation", "1987-03-03", "1987-03-03", "computed"),
    ("state/RUS", "state/SUN", "continuity", "IV-9", R9 + "declaration/1991-10-01/art-21", "Declaration", "1991-10-01", "1991-10-01", "computed"),
    ("state/RUS", "state/SUN", "continuity", "IV-9", R9 + "declaration/1991-10-01/art-22", "Declaration", "1991-10-01", "1991-10-01", "published"),
    ("state/RUS", "state/SUN", "continuity", "IV-9", W20, "WithdrawalOfReservation", "1991-10-01", "1991-10-01", "computed"),
], "the 2019 withdrawal was the Russian Federation's own act")

# ---- binding-oversight (the flagship; owned by the lead, checked here on the same fixture) ---------
case("binding-oversight", {"state": "RUS", "date": "2022-06-01"}, "procedure status", [
    (P + "coe-ets-126/ad-hoc-visits", B), (P + "coe-ets-126/periodic-visits", B), (P + "coe-ets-126/public-statement", B),
    (P + "coe-ets-157/state-reporting", B),
    (P + "coe-ets-5/individual-complaints", "bound, end pending"), (P + "coe-ets-5/inter-state-complaints", "bound, end pending"),
    (P + "untc-IV-5/individual-complaints", B),
    (P + "untc-IV-9/individual-complaints", B), (P + "untc-IV-9/inquiry", B),
    (P + "untc-IV-9/inter-state-complaints", B), (P + "untc-IV-9/state-reporting", B),
])
case("binding-oversight", {"state": "BLR", "date": "2023-01-01"}, "procedure status until", [
    (P + "untc-IV-5/individual-complaints", "bound, denunciation pending", "2023-02-08")])
case("binding-oversight", {"state": "BLR", "date": "2023-02-08"}, "procedure", [])


# ---------------------------------------------------------------------------------------
# the tests


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_golden_answer(kg, c):
    got = _rows(kg, c.query, c.params, c.columns)
    expected = [tuple(row) for row in c.expected]
    if queries.get(c.query).ordered:
        assert got == expected
    else:
        assert Counter(got) == Counter(expected)


def _projection(text: str) -> list[str]:
    """The projected variables, in order, as pyoxigraph reads the query."""
    return [v.value for v in ox.Store().query(text).variables]


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_parses_with_a_valid_header(path):
    q = queries.parse_header(path)  # raises on a bad header
    assert q.id == path.stem and q.question.endswith("?") and q.returns and q.ordering
    projected = _projection(q.text)  # raises SyntaxError on a query pyoxigraph cannot parse
    assert [c.strip() for c in q.returns.split(",")] == projected, "'# returns:' must list the projected columns in order"
    names = [p.name for p in q.params]
    assert len(set(names)) == len(names)
    for p in q.params:
        assert p.name in projected, f"{q.id}: parameter {p.name} is not projected, so SEP-0007 cannot bind it"
        assert p.example and p.description


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_parameters_are_grouped_and_never_pasted(path):
    q = queries.parse_header(path)
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
    group = re.search(r"\bGROUP BY\b(.*?)(?:\bORDER BY\b|\bHAVING\b|\bLIMIT\b|$)", body, re.S)
    for p in q.params:
        if group:
            assert re.search(rf"\?{p.name}\b", group.group(1)), f"{q.id}: parameter {p.name} missing from GROUP BY"
        assert p.example not in body, f"{q.id}: the example value of {p.name} appears in the query text"


def test_membership_clause_without_a_cessation_decision(rules_kg):
    """The derivation fixture has the loss of CoE membership but no CM decision on the ECHR: the
    span ends by the membership clause itself (six months after 16 Mar 2022)."""
    got = _rows(rules_kg, "membership-endings", {"organization": "coe"}, ("treatyId", "how", "until", "endRule", "obligationsSurvive"))
    assert got == [("ETS-5", "membership clause", "2022-09-16", "treaty/coe-ets-5/clause/membership", True)]


def test_surviving_obligations_of_unknown_start_are_uncertain(rules_kg):
    """The derivation fixture: Greece a party to the ECHR from 3 Sep 1953 and a loss of CoE
    membership that no source dates. On any later day it may still be a party or may only
    answer for earlier acts: both spans are uncertain, in the flagship, the treaties of the
    State and the matrix alike, never "bound" or "surviving obligations" outright."""
    flagship = _rows(rules_kg, "binding-oversight", {"state": "GRC", "date": "2000-01-01"}, ("procedure", "basis", "status", "since", "sinceLatest"))
    assert flagship == [("procedure/coe-ets-5/individual-complaints", "as a party", "uncertain", "1953-09-03", "1953-09-03"),
                        ("procedure/coe-ets-5/individual-complaints", "surviving obligations", "uncertain", "1953-09-03", None)]
    treaties = _rows(rules_kg, "treaties-of-state", {"state": "GRC", "date": "2000-01-01"}, ("treatyId", "status", "since", "sinceLatest"))
    assert treaties == [("ETS-5", "uncertain", "1953-09-03", "1953-09-03"), ("ETS-5", "uncertain", "1953-09-03", None)]
    # the matrix folds the two spans into one row: the earliest start, and the earliest end of
    # those that have one (the surviving obligations have none)
    matrix = [r for r in _rows(rules_kg, "oversight-matrix", {"date": "2000-01-01"}, ("state", "procedure", "status", "since", "until"))
              if r[0] == "state/GRC"]
    assert matrix == [("state/GRC", "procedure/coe-ets-5/individual-complaints", "uncertain", "1953-09-03", "1953-09-03")]
    # the ECHR's procedures may have been left on any day from 3 Sep 1953, with obligations surviving
    left = _rows(rules_kg, "left-oversight", {"state": "GRC", "from": "1900-01-01", "to": "2100-01-01"},
                 ("procedure", "until", "untilLatest", "certain", "obligationsSurvive"))
    assert left == [("procedure/coe-ets-5/individual-complaints", "1953-09-03", None, False, True)]
    # before the loss could have had any effect, nothing is uncertain: 3 Sep 1953 is the first day
    assert _rows(rules_kg, "binding-oversight", {"state": "GRC", "date": "1953-09-02"}, ("procedure",)) == []


def test_every_query_has_golden_cases():
    covered = {c.query for c in CASES}
    assert set(queries.library()) - covered == set()
    assert covered - set(queries.library()) == set()


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_header_examples_run(kg, path):
    q = queries.parse_header(path)
    result = queries.run(kg, q.id, {p.name: p.example for p in q.params})
    assert result.variables == _projection(q.text)


@pytest.mark.parametrize("path", [p for p in QUERY_FILES if any(x.optional for x in queries.parse_header(p).params)],
                         ids=lambda p: p.stem)
def test_optional_parameters_left_out_leave_the_variable_free(kg, path):
    """Leaving every optional parameter out must not drop rows that giving it would keep."""
    q = queries.parse_header(path)
    required = {p.name: p.example for p in q.params if not p.optional}
    with_all = queries.run(kg, q.id, {p.name: p.example for p in q.params}).dicts()
    without = queries.run(kg, q.id, required).dicts()
    optional = [p.name for p in q.params if p.optional]
    strip = [{k: v for k, v in r.items() if k not in optional} for r in with_all]
    rest = [{k: v for k, v in r.items() if k not in optional} for r in without]
    assert all(r in rest for r in strip)
    assert len(rest) >= len(strip)
