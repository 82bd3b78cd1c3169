"""Namespace constants, closed over the ontology.

``TKG.someTerm`` raises AttributeError for a term the ontology does not define, so a typo
never mints a new IRI. ``tests/test_ontology.py`` checks that this list and
``ontology/treatykg.ttl`` hold the same terms.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import ClosedNamespace

TKG_NS = "https://w3id.org/treatykg/ontology#"

TERMS = (
    # classes
    "LegalPerson State InternationalOrganization MonitoringBody Treaty Protocol AmendingProtocol "
    "OptionalProtocol Provision Clause EntryIntoForceClause DenunciationClause MembershipClause "
    "OversightProcedure Obligation Event TreatyAct Signature DefinitiveSignature ConsentToBeBound "
    "Ratification Acceptance Approval Accession Succession Denunciation WithdrawalFromTreaty "
    "WithdrawalOfSignature WithdrawalOfConsent Reservation Declaration Objection WithdrawalOfReservation "
    "WithdrawalOfDeclaration TerritorialApplication Derogation StatusEvent TreatyEntryIntoForce "
    "MembershipLoss SuspensionOfRights CessationOfParty DomesticAct MonitoringVisit MonitoringDocument "
    "StatusSpan PartyStatus ProcedureStatus SourceConflict DerivationRun SourceRecord "
    # object properties
    "actor treaty organization performedAs succeededFrom concernsProvision acceptsProcedure "
    "excludesProcedure withdraws objectsTo domesticStepOf effectiveDateRule effectiveDateBasis "
    "datePrecision publishedOnPrecision endDatePrecision confidence dateConfidence provision provisionOf "
    "supplements amends depositary hasClause dateRule countsFrom establishes operatedBy procedureKind "
    "acceptanceMode acceptanceProvision imposedBy beneficiary obligationKind servesProcedure conductedBy "
    "visitedState visitType underProcedure documentType concernsVisit concernsState issuedBy url "
    "sourceAbout continuesStateOf party procedure status basis startedBy endedBy pendingEnd startRule "
    "endRule restsOn restsOnSource withinSpan conflictingAct conflictActor conflictClass conflictSource "
    # datatype properties
    "date dateEarliest dateLatest effectiveDate effectiveDateEarliest effectiveDateLatest endDate "
    "endDateEarliest endDateLatest publishedOn publishedOnEarliest publishedOnLatest documentSymbol "
    "noticePeriod territory shortId adoptedOn adoptedAt generalEntryIntoForce generalEntryIntoForceLatest period minimumPartyPeriod "
    "obligationsSurvive isoAlpha3 statusAsOf retrievedOn sourceLocator reportedParties "
    "reportedSignatories validFrom validUntil startsEarliest startsLatest endsEarliest endsLatest "
    "endNoticeFrom startCertain endCertain coversActsBefore softwareVersion"
).split()

TKG = ClosedNamespace(TKG_NS, TERMS)

VOCAB = "https://w3id.org/treatykg/vocab/"


def concept(scheme: str, name: str) -> str:
    return f"{VOCAB}{scheme}/{name}"


PROV = Namespace("http://www.w3.org/ns/prov#")
