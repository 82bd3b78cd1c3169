"""Map the participant names used by depositaries and data sets to State codes.

pycountry knows the ISO 3166 names; the explicit table below adds the spellings that
depositaries (UNTC), IEADB and APT use, and former States (ISO 3166-3 codes). A name
that maps to nothing returns ``None``: the caller must report it, never drop it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry


@dataclass(frozen=True)
class Participant:
    code: str  # alpha-3 for a State; organisation key for an organisation
    kind: str  # "state" or "organization"
    name: str  # the canonical English name


# Spellings (normalised by _norm) -> alpha-3. Former States use ISO 3166-3 codes.
_STATE_ALIASES: dict[str, str] = {
    "bolivia plurinational state of": "BOL",
    "bolivia": "BOL",
    "turkiye": "TUR",
    "turkey": "TUR",
    "netherlands kingdom of the": "NLD",
    "netherlands": "NLD",
    "czech republic": "CZE",
    "czechia": "CZE",
    "cote d ivoire": "CIV",
    "ivory coast": "CIV",
    "democratic republic of the congo": "COD",
    "congo democratic republic": "COD",
    "congo democratic republic of the": "COD",
    "dr congo": "COD",
    "zaire": "ZAR",
    "congo": "COG",
    "republic of the congo": "COG",
    "congo republic": "COG",
    "republic of korea": "KOR",
    "korea republic of": "KOR",
    "south korea": "KOR",
    "korea south": "KOR",
    "democratic people s republic of korea": "PRK",
    "korea democratic people s republic of": "PRK",
    "north korea": "PRK",
    "korea north": "PRK",
    "iran islamic republic of": "IRN",
    "iran": "IRN",
    "venezuela bolivarian republic of": "VEN",
    "venezuela": "VEN",
    "micronesia federated states of": "FSM",
    "micronesia": "FSM",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "holy see": "VAT",
    "vatican": "VAT",
    "united kingdom of great britain and northern ireland": "GBR",
    "united kingdom": "GBR",
    "uk": "GBR",
    "united republic of tanzania": "TZA",
    "tanzania": "TZA",
    "lao people s democratic republic": "LAO",
    "laos": "LAO",
    "republic of moldova": "MDA",
    "moldova": "MDA",
    "syrian arab republic": "SYR",
    "syria": "SYR",
    "viet nam": "VNM",
    "vietnam": "VNM",
    "st vincent and the grenadines": "VCT",
    "saint vincent and the grenadines": "VCT",
    "st kitts and nevis": "KNA",
    "saint kitts and nevis": "KNA",
    "st lucia": "LCA",
    "saint lucia": "LCA",
    "cabo verde": "CPV",
    "cape verde": "CPV",
    "eswatini": "SWZ",
    "swaziland": "SWZ",
    "bahamas the": "BHS",
    "bahamas": "BHS",
    "gambia the": "GMB",
    "gambia": "GMB",
    "russian federation": "RUS",
    "russia": "RUS",
    "united states of america": "USA",
    "united states": "USA",
    "usa": "USA",
    "north macedonia": "MKD",
    "the former yugoslav republic of macedonia": "MKD",
    "macedonia": "MKD",
    "brunei darussalam": "BRN",
    "brunei": "BRN",
    "timor leste": "TLS",
    "east timor": "TLS",
    "kyrgyzstan": "KGZ",
    "slovakia": "SVK",
    "libya": "LBY",
    "libyan arab jamahiriya": "LBY",
    "sao tome and principe": "STP",
    "micronesia fed states": "FSM",
    "kosovo": "XKX",  # user-assigned code used by the EU and others; not in ISO 3166-1
    "niue": "NIU",
    "cook islands": "COK",
    "taiwan": "TWN",
    # IEADB's normalised names ("Congo, Republic of the" style) and Soviet-period entries
    "congo republic of the": "COG",
    "congo democratic republic of": "COD",
    "korea democratic people s republic": "PRK",
    "yemen arab republic": "YEM",  # North Yemen; the Republic of Yemen keeps its code
    "palestine occupied territories": "PSE",
    "belarus soviet period": "BLR",  # as "byelorussian soviet socialist republic" below
    "ukraine soviet period": "UKR",
    "russian federation soviet period": "SUN",
    # former States (ISO 3166-3 alpha-3)
    "union of soviet socialist republics": "SUN",
    "ussr": "SUN",
    "soviet union": "SUN",
    "yugoslavia": "YUG",
    "socialist federal republic of yugoslavia": "YUG",
    "former yugoslavia": "YUG",
    "serbia and montenegro": "SCG",
    "czechoslovakia": "CSK",
    "czechoslovak socialist republic": "CSK",
    "german democratic republic": "DDR",
    "germany former gdr": "DDR",
    "east germany": "DDR",
    "democratic yemen": "YMD",
    "yemen democratic": "YMD",
    "byelorussian soviet socialist republic": "BLR",
    "byelorussian ssr": "BLR",
    "belarus": "BLR",
    "ukrainian soviet socialist republic": "UKR",
    "ukrainian ssr": "UKR",
    "yugoslavia former": "YUG",  # UNTC: "Yugoslavia (former)"
}

_ORG_ALIASES: dict[str, tuple[str, str]] = {
    "european union": ("eu", "European Union"),
    "european community": ("eu", "European Union"),
    "european economic community": ("eu", "European Union"),
}

# Canonical names for codes pycountry does not hold.
_EXTRA_NAMES = {"XKX": "Kosovo"}


def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def state_name(code: str) -> str:
    """The English name of an alpha-3 code (current or former)."""
    code = code.upper()
    if code in _EXTRA_NAMES:
        return _EXTRA_NAMES[code]
    c = pycountry.countries.get(alpha_3=code)
    if c is not None:
        return getattr(c, "common_name", None) or c.name
    h = pycountry.historic_countries.get(alpha_3=code)
    if h is not None:
        return h.name
    raise KeyError(code)


def is_former_state(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code.upper()) is None and code.upper() not in _EXTRA_NAMES


@lru_cache(maxsize=1)
def _iso_names() -> dict[str, str]:
    """Normalised ISO 3166 name -> alpha-3: the first country (in pycountry's order) holding the
    name, looking at every country's ``name`` before any ``official_name``, then ``common_name``."""
    out: dict[str, str] = {}
    for attr in ("name", "official_name", "common_name"):
        for c in pycountry.countries:
            v = getattr(c, attr, None)
            if v:
                out.setdefault(_norm(v), c.alpha_3)
    return out


@lru_cache(maxsize=4096)
def resolve(name: str) -> Participant | None:
    """Resolve a participant name; ``None`` when nothing matches (report it, do not drop it)."""
    raw = re.sub(r"\s*\d+(\s*,\s*\d+)*\s*$", "", name.strip())  # footnote numbers after a name
    key = _norm(raw)
    if not key:
        return None
    if key in _ORG_ALIASES:
        code, canonical = _ORG_ALIASES[key]
        return Participant(code, "organization", canonical)
    code = _STATE_ALIASES.get(key)
    if code is None:
        code = _iso_names().get(key)
    if code is None and re.fullmatch(r"[a-z]{3}", key):
        if pycountry.countries.get(alpha_3=key.upper()) or pycountry.historic_countries.get(alpha_3=key.upper()):
            code = key.upper()
    if code is None:
        return None
    return Participant(code, "state", state_name(code))
