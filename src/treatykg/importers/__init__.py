"""Importers, one per source format. Each module exposes ``run(paths, out_dir) -> ImportReport``."""

from __future__ import annotations

import importlib

from treatykg.errors import InputError

MODULES = {
    "untc": "treatykg.importers.untc_html",
    "untc-csv": "treatykg.importers.untc_csv",
    "ieadb": "treatykg.importers.ieadb",
    "apt": "treatykg.importers.apt",
}

# the folder under graph/ each importer writes to by default
DEFAULT_FOLDER = {"untc": "untc", "untc-csv": "untc-2015", "ieadb": "ieadb", "apt": "apt"}


def get(source: str):
    if source not in MODULES:
        raise InputError(f"import: unknown source {source!r} (known: {', '.join(MODULES)})")
    return importlib.import_module(MODULES[source]).run
