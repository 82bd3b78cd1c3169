"""Exceptions. Each carries a one-line message that names the place (file and line,
parameter, IRI) so the command line can print it without a traceback."""


class TreatyKGError(Exception):
    """Base class of every error treatykg raises on purpose."""

    exit_code = 2


class InputError(TreatyKGError):
    """Bad input: malformed data file, invalid date, unknown name, missing parameter."""

    exit_code = 2


class NotFoundError(InputError):
    """A state, treaty or query name that the graph does not know."""

    exit_code = 2


class QueryTimeout(TreatyKGError):
    """A query ran past its time limit."""

    exit_code = 2
