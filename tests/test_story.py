"""The seed story on the shipped graph: which oversight binds the Russian Federation (and
Belarus under ICCPR-OP1) at the dates that matter. Expectations come from the facts and the
treaty rules (ETS 126 Art. 22(2), ECHR Art. 58, FCNM Art. 31, CAT Arts. 20-22, AP I Art. 90,
the UNTC end note on Belarus), not from the program's output."""

import pytest

from treatykg.oversight import oversight

P = "https://w3id.org/treatykg/id/procedure/"


@pytest.fixture(scope="module")
def kg():
    from treatykg.kg import load_graph

    return load_graph()  # the shipped graph through the store cache, as the CLI uses it


def status(kg, state, date):
    return {r["procedure"][len(P):]: r for r in oversight(kg, state, date)}


CPT = "coe-ets-126/periodic-visits"
ECHR = "coe-ets-5/individual-complaints"
FCNM = "coe-ets-157/state-reporting"
CAT22 = "untc-IV-9/individual-complaints"
CAT20 = "untc-IV-9/inquiry"
IHFFC = "ihl-ap1/fact-finding"


def test_before_the_expulsion(kg):
    s = status(kg, "RUS", "2022-03-01")
    assert s[ECHR]["status"] == "bound" and str(s[ECHR]["until"]) == "2022-09-16"
    assert s[CPT]["status"] == "bound" and str(s[CPT]["since"]) == "1998-09-01"
    assert s[FCNM]["status"] == "bound"
    assert s[CAT22]["status"] == "bound" and s[CAT22]["basis"] == "by declaration"
    assert s[CAT20]["status"] == "bound"
    assert IHFFC not in s  # the Art. 90 declaration was withdrawn on 2019-10-23
    assert not any(k.startswith("untc-IV-9-b/") for k in s)  # never a party to OPCAT


def test_between_expulsion_and_end_of_echr(kg):
    s = status(kg, "RUS", "2022-06-01")
    assert s[ECHR]["status"] == "bound, end pending"
    assert s[CPT]["status"] == "bound"  # expulsion does not end the CPT Convention


def test_after_the_echr_ended(kg):
    s = status(kg, "RUS", "2022-10-01")
    assert s[ECHR]["status"] == "surviving obligations"
    assert str(s[ECHR]["coversActsBefore"]) == "2022-09-16"
    assert s[CPT]["status"] == "bound"


def test_fcnm_ended_on_1_august_2024(kg):
    assert FCNM in status(kg, "RUS", "2024-07-31")
    assert FCNM not in status(kg, "RUS", "2024-08-01")


def test_after_the_2025_denunciation_law(kg):
    s = status(kg, "RUS", "2025-12-01")
    assert s[CPT]["status"] == "bound, denunciation pending"
    assert str(s[CPT]["until"]) == "2026-10-01" and s[CPT]["untilLatest"] is None  # end not before, no upper bound
    assert s[CAT22]["status"] == "bound"


def test_after_the_earliest_possible_effective_date(kg):
    s = status(kg, "RUS", "2026-10-15")
    assert s[CPT]["status"] == "uncertain"  # the receipt date is unknown: never a guessed end
    assert s[CAT22]["status"] == "bound"


def test_before_the_cpt_convention_entered_into_force_for_russia(kg):
    assert CPT not in status(kg, "RUS", "1998-08-31")
    assert CPT in status(kg, "RUS", "1998-09-01")


def test_belarus_denunciation_of_iccpr_op1(kg):
    op1 = "untc-IV-5/individual-complaints"
    assert status(kg, "BLR", "2023-02-07")[op1]["status"] == "bound, denunciation pending"
    assert op1 not in status(kg, "BLR", "2023-02-08")
