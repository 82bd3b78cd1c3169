"""Minting of instance IRIs, following the policy in ``ontology/README.md``.

Keys are built from facts (codes, treaty numbers, dates of acts, provisions), never
from row numbers or the date of a build. Every function here is pure.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from rdflib import URIRef

BASE = "https://w3id.org/treatykg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
VOCAB = BASE + "vocab/"

_SAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def slug(text: str) -> str:
    """A path segment: letters, digits and ``._~-``; runs of anything else become ``-``."""
    s = _SAFE.sub("-", text.strip()).strip("-")
    if not s:
        raise ValueError(f"cannot make an IRI segment from {text!r}")
    return s


def vocab(scheme: str, concept: str) -> URIRef:
    return URIRef(f"{VOCAB}{scheme}/{concept}")


def state(code: str) -> URIRef:
    """``id/state/RUS``: ISO 3166-1 alpha-3 (ISO 3166-3 alpha-3 for former States), upper case."""
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"not an alpha-3 State code: {code!r}")
    return URIRef(f"{ID}state/{code}")


def organization(key: str) -> URIRef:
    return URIRef(f"{ID}org/{slug(key).lower()}")


def treaty_key_coe(number: int | str) -> str:
    """Council of Europe treaty series key: ``coe-ets-126`` (ETS/CETS number, no leading zeros)."""
    return f"coe-ets-{int(number)}"


def treaty_key_untc(mtdsg_no: str) -> str:
    """UN Treaty Collection key from the MTDSG number: ``untc-IV-9``, ``untc-XVIII-10``,
    ``untc-IV-11-b``, and numbers with a sub-chapter or a numbered sub-item such as
    ``untc-XI-A-5`` or ``untc-III-2-12a``. Separators (``-`` or ``.``) become ``-``."""
    m = re.fullmatch(r"\s*([IVXLC]+)((?:\s*[-.]\s*[A-Za-z0-9]+)+)\s*\.?\s*", mtdsg_no)
    if not m:
        raise ValueError(f"not an MTDSG number: {mtdsg_no!r}")
    parts = [p for p in re.split(r"\s*[-.]\s*", m.group(2)) if p]
    if not parts or not any(ch.isdigit() for ch in "".join(parts)):
        raise ValueError(f"not an MTDSG number: {mtdsg_no!r}")
    return "untc-" + "-".join([m.group(1)] + parts)


def treaty(key: str) -> URIRef:
    return URIRef(f"{ID}treaty/{slug(key)}")


def provision(treaty_key: str, article: str) -> URIRef:
    """``id/treaty/untc-IV-9/art-22`` ; paragraphs as ``art-27-1``; ``art`` is added if missing."""
    a = slug(article.lower().replace("article", "art").replace("(", "-").replace(")", ""))
    if not a.startswith(("art", "part", "annex", "preamble", "rule")):
        a = "art-" + a
    return URIRef(f"{ID}treaty/{slug(treaty_key)}/{a}")


def clause(treaty_key: str, kind: str) -> URIRef:
    """``id/treaty/coe-ets-126/clause/denunciation``."""
    return URIRef(f"{ID}treaty/{slug(treaty_key)}/clause/{slug(kind)}")


def body(key: str) -> URIRef:
    return URIRef(f"{ID}body/{slug(key).lower()}")


def procedure(treaty_key: str, kind: str) -> URIRef:
    """``id/procedure/untc-IV-9/individual-complaints`` (kind from the procedure-kind scheme)."""
    return URIRef(f"{ID}procedure/{slug(treaty_key)}/{slug(kind)}")


def obligation(treaty_key: str, key: str) -> URIRef:
    return URIRef(f"{ID}obligation/{slug(treaty_key)}/{slug(key)}")


def date_key(date_text: str | None) -> str:
    """The date segment of an act key: ``1998-05-05``, ``1998-11``, ``1998`` or ``undated``."""
    return slug(date_text) if date_text else "undated"


def act(treaty_key: str, actor_code: str, act_type: str, date_text: str | None, qualifier: str | None = None) -> URIRef:
    """``id/act/coe-ets-126/RUS/denunciation/undated``,
    ``id/act/untc-IV-9/RUS/declaration/1991-10-01/art-22``.

    ``act_type`` is the lower-case hyphenated class name (ratification, withdrawal-of-reservation, ...);
    ``qualifier`` separates acts of one type on one day (the provision concerned, a territory).
    """
    parts = [ID + "act", slug(treaty_key), actor_code.upper(), slug(act_type), date_key(date_text)]
    if qualifier:
        parts.append(slug(qualifier))
    return URIRef("/".join(parts))


def event(kind: str, actor_code: str, key: str, date_text: str | None) -> URIRef:
    """Status and membership events: ``id/event/membership-loss/RUS/coe/2022-03-16``."""
    return URIRef(f"{ID}event/{slug(kind)}/{actor_code.upper()}/{slug(key)}/{date_key(date_text)}")


def domestic_act(actor_code: str, key: str, kind: str, date_text: str | None) -> URIRef:
    """``id/domestic-act/RUS/coe-ets-126/law-signed/2025-09-29``."""
    return URIRef(f"{ID}domestic-act/{actor_code.upper()}/{slug(key)}/{slug(kind)}/{date_key(date_text)}")


def visit(body_key: str, state_code: str, date_text: str | None, qualifier: str | None = None) -> URIRef:
    """``id/visit/cpt/RUS/2016-11-30`` (first day of the visit, or the month/year known)."""
    tail = f"/{slug(qualifier)}" if qualifier else ""
    return URIRef(f"{ID}visit/{slug(body_key).lower()}/{state_code.upper()}/{date_key(date_text)}{tail}")


def document(body_key: str, symbol_or_key: str) -> URIRef:
    """``id/document/cpt/CPT-Inf-2013-1`` (the body's own document symbol)."""
    return URIRef(f"{ID}document/{slug(body_key).lower()}/{slug(symbol_or_key)}")


def source_for_url(url: str) -> URIRef:
    """A source record for a web document: ``id/source/web/<host>/<first 16 hex of sha256(url)>``."""
    host = urlsplit(url).hostname or "unknown-host"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{ID}source/web/{slug(host.lower())}/{digest}")


def source(key: str) -> URIRef:
    """A source record with a readable key: ``id/source/untc/IV-9/2026-02-03``."""
    return URIRef(f"{ID}source/" + "/".join(slug(p) for p in key.split("/")))


def named_graph(key: str) -> URIRef:
    """Named graph for one source document or build product: ``graph/untc/IV-9/2026-02-03``."""
    return URIRef(GRAPH + "/".join(slug(p) for p in key.split("/")))


def status_span(state_code: str, subject_key: str, start_text: str | None) -> URIRef:
    """Derived spans: ``id/status/RUS/coe-ets-126/1998-09-01``;
    procedure spans use the procedure key ``untc-IV-9/individual-complaints`` as subject."""
    return URIRef(f"{ID}status/{state_code.upper()}/" + "/".join(slug(p) for p in subject_key.split("/")) + f"/{date_key(start_text)}")


def source_conflict(treaty_key: str, actor_code: str, act_iri: str, other_act_iri: str) -> URIRef:
    """A derived source conflict between two acts (two nodes that sources date differently):
    ``id/conflict/coe-ets-157/RUS/<first 16 hex of sha256("<act> <other act>")>``, the two act
    IRIs in code-point order."""
    a, b = sorted((str(act_iri), str(other_act_iri)))
    h = hashlib.sha256(f"{a} {b}".encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{ID}conflict/" + "/".join(slug(p) for p in treaty_key.split("/")) + f"/{slug(actor_code)}/{h}")


def local_key(iri: str, kind: str) -> str:
    """The key after ``id/<kind>/`` (``treaty`` -> ``coe-ets-126``)."""
    prefix = f"{ID}{kind}/"
    if not str(iri).startswith(prefix):
        raise ValueError(f"{iri} is not a treatykg {kind} IRI")
    return str(iri)[len(prefix):]
