"""The one place that knows where treatykg's data files live.

In a source checkout (editable install) the folders are the repository's own
``ontology/``, ``shapes/``, ``queries/`` and ``graph/``. In an installed wheel they are
shipped inside the package as ``treatykg/_data/<folder>``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def _folder(name: str) -> Path:
    shipped = _PACKAGE_DIR / "_data" / name
    if shipped.is_dir():
        return shipped
    in_repo = _REPO_ROOT / name
    if in_repo.is_dir():
        return in_repo
    raise FileNotFoundError(f"treatykg data folder {name!r} is missing (looked in {shipped} and {in_repo})")


def ontology_dir() -> Path:
    return _folder("ontology")


def shapes_dir() -> Path:
    return _folder("shapes")


def queries_dir() -> Path:
    return _folder("queries")


def graph_dir() -> Path:
    return _folder("graph")


def ontology_files() -> list[Path]:
    """The ontology and its controlled vocabularies, in a fixed order."""
    return sorted(ontology_dir().glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(shapes_dir().glob("*.ttl"))


def shared_data_dir() -> Path | None:
    """``../shared/data`` beside the checkout (or $TREATYKG_SHARED_DATA), if present."""
    env = os.environ.get("TREATYKG_SHARED_DATA")
    if env:
        p = Path(env)
        return p if p.is_dir() else None
    for base in (_REPO_ROOT, Path.cwd()):
        p = base.parent / "shared" / "data"
        if p.is_dir():
            return p
    return None


def cache_dir() -> Path:
    """Per-user cache root for built stores ($TREATYKG_CACHE or ~/.cache/treatykg)."""
    env = os.environ.get("TREATYKG_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "treatykg" if xdg else Path.home() / ".cache" / "treatykg"
