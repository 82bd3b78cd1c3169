"""treatykg: an open knowledge graph of treaties, states and the oversight they create.

The library comes first; the ``treatykg`` command line is a thin layer over it.

>>> from treatykg import load_graph, oversight
>>> kg = load_graph()                                   # the shipped graph, status derived
>>> rows = oversight(kg, "RUS", "2026-06-01")           # doctest: +SKIP
"""

__version__ = "0.1.0"

from treatykg.errors import TreatyKGError, InputError, NotFoundError  # noqa: E402
from treatykg.kg import KnowledgeGraph, load_graph  # noqa: E402
from treatykg.oversight import oversight, explain  # noqa: E402

__all__ = [
    "__version__",
    "TreatyKGError",
    "InputError",
    "NotFoundError",
    "KnowledgeGraph",
    "load_graph",
    "oversight",
    "explain",
]
