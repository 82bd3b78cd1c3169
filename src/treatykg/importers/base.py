"""What every importer shares: the report of what was written and skipped, source records,
and atomic, deterministic output files.

An importer module exposes ``run(paths, out_dir) -> ImportReport``. It imports what it can,
lists every record it skipped with the file, the element and the reason, and writes each output
file atomically (a temporary file renamed into place), so a failure never leaves a
half-written file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD


@lru_cache(maxsize=None)
def _term(namespace: str, name: str) -> URIRef:
    return URIRef(namespace + name)


class _Namespace(Namespace):
    """An rdflib ``Namespace`` whose attribute terms (``TKG.actor``) are made once each:
    rdflib's makes and checks a new ``URIRef`` on every access, which the importers do
    hundreds of thousands of times."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return _term(str(self), name)


TKG = _Namespace("https://w3id.org/treatykg/ontology#")
ORG = _Namespace("http://www.w3.org/ns/org#")
ELI = _Namespace("http://data.europa.eu/eli/ontology#")

PREFIXES = {
    "tkg": TKG,
    "prov": PROV,
    "dct": DCTERMS,
    "skos": SKOS,
    "xsd": XSD,
    "rdfs": RDFS,
    "org": ORG,
    "eli": ELI,
}


@dataclass(frozen=True)
class Skip:
    file: str
    element: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.element}: {self.reason}"


@dataclass
class ImportReport:
    source: str
    written: list[Path] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def skip(self, file: str | Path, element: str, reason: str) -> None:
        self.skipped.append(Skip(str(file), element, reason))

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    @property
    def usable(self) -> bool:
        return bool(self.written)

    def text(self) -> str:
        lines = [f"import {self.source}: {len(self.written)} file(s) written, {len(self.skipped)} record(s) skipped"]
        for k in sorted(self.counts):
            lines.append(f"  {k}: {self.counts[k]}")
        for s in self.skipped:
            lines.append(f"  skipped {s}")
        return "\n".join(lines)


def new_dataset() -> Dataset:
    ds = Dataset()
    for p, ns in PREFIXES.items():
        ds.bind(p, ns)
    return ds


def add_source_record(
    g: Graph,
    record: URIRef,
    *,
    url: str,
    title: str,
    publisher: str,
    status_as_of: str,
    license_iri: str | None = None,
    retrieved_on: str | None = None,
    about: list[URIRef] | None = None,
) -> None:
    """Describe one source document (see ontology/README.md, 'Sources')."""
    g.add((record, RDF.type, TKG.SourceRecord))
    g.add((record, TKG.url, URIRef(url)))
    g.add((record, DCTERMS.title, Literal(title)))
    g.add((record, DCTERMS.publisher, Literal(publisher)))
    g.add((record, TKG.statusAsOf, Literal(status_as_of, datatype=XSD.date)))
    if license_iri:
        g.add((record, DCTERMS.license, URIRef(license_iri)))
    if retrieved_on:
        g.add((record, TKG.retrievedOn, Literal(retrieved_on, datatype=XSD.date)))
    for a in about or []:
        g.add((record, TKG.sourceAbout, a))


def write_atomic(data: Graph | Dataset, path: Path, fmt: str | None = None) -> Path:
    """Serialise ``data`` to ``path`` via a temporary file in the same folder, then rename.

    The format follows the suffix (``.trig``, ``.ttl``, ``.nt``, ``.nq``, ``.jsonld``) unless given.
    """
    path = Path(path)
    if fmt is None:
        fmt = {".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}.get(
            path.suffix, "turtle"
        )
    return write_bytes_atomic(path, data.serialize(format=fmt, encoding="utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
