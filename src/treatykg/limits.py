"""A time limit for queries that truly stops a runaway query.

Why a child process: pyoxigraph releases the GIL while it evaluates a query and does not look
at Python signals until the evaluation returns (measured with 0.5.13: a ticker thread keeps
running during a 4-way cross product, and a ``SIGALRM`` handler set for 1 s had not run
after 10 s). So neither a watchdog thread nor a signal can interrupt a query in the same
process, and pyoxigraph offers no cancellation hook. Where ``os.fork`` exists the query is
therefore evaluated in a forked child (copy-on-write: the store, in memory or on disk, is
shared without copying); the parent waits for the child's answer up to the deadline and
kills it (``SIGKILL``) when the limit is reached, then raises :class:`QueryTimeout`. The
child sends its result back pickled through a pipe; exceptions travel the same way. The
cost is a fork per query (measured in ``bench/RESULTS.md``). Without ``fork`` (Windows)
the query runs in a daemon thread: the caller gets :class:`QueryTimeout` at the deadline and
the evaluation is left to die with the process.

The limit in force for :class:`~treatykg.kg.KnowledgeGraph` queries is :func:`current`:
none for library use unless set with :func:`set_limit` or :func:`limit`; the command line
sets it for reading commands from ``--timeout``, else ``$TREATYKG_TIMEOUT``, else
:data:`DEFAULT_SECONDS`. ``0`` means no limit.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from treatykg.errors import InputError, QueryTimeout, TreatyKGError

DEFAULT_SECONDS = 60.0
ENV = "TREATYKG_TIMEOUT"


@dataclass(frozen=True)
class Limit:
    """A limit in seconds and where it came from (for the message)."""

    seconds: float
    source: str = "the default"  # "--timeout", "TREATYKG_TIMEOUT", "the default", "the caller"

    def message(self) -> str:
        return (f"query stopped: it ran past the time limit of {self.seconds:g} s ({self.source}); "
                f"allow more time with --timeout SECONDS or {ENV}=SECONDS (0 = no limit)")


_current: Limit | None = None


def parse_seconds(text: str | float | int, *, where: str = "--timeout") -> float | None:
    """Seconds from the command line or the environment; ``0`` (or ``none``) means no limit."""
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        t = str(text).strip().lower()
        if t in ("none", "off", "inf"):
            return None
        try:
            value = float(t)
        except ValueError:
            raise InputError(f"{where}: {text!r} is not a number of seconds (0 = no limit)") from None
    if value != value or value < 0:
        raise InputError(f"{where}: {text!r} is not a number of seconds (0 = no limit)")
    return None if value == 0 or value == float("inf") else value


def resolve(cli_value: str | None = None) -> Limit | None:
    """The limit for a reading command: ``--timeout``, else the environment, else the default."""
    if cli_value is not None:
        s = parse_seconds(cli_value, where="--timeout")
        return Limit(s, "--timeout") if s is not None else None
    env = os.environ.get(ENV)
    if env not in (None, ""):
        s = parse_seconds(env, where=ENV)
        return Limit(s, ENV) if s is not None else None
    return Limit(DEFAULT_SECONDS, "the default")


def set_limit(value: Limit | float | None) -> None:
    """Set the limit applied to every query that does not give its own (None: no limit)."""
    global _current
    if value is None or isinstance(value, Limit):
        _current = value
    else:
        s = parse_seconds(value, where="limit")
        _current = Limit(s, "the caller") if s is not None else None


def current() -> Limit | None:
    return _current


@contextlib.contextmanager
def limit(value: Limit | float | None):
    """``with limit(5): kg.select(...)`` applies a 5 s limit inside the block."""
    global _current
    saved = _current
    set_limit(value)
    try:
        yield _current
    finally:
        _current = saved


def effective(timeout: float | None) -> Limit | None:
    """The limit for one call: an explicit ``timeout`` (0 = none) wins over :func:`current`."""
    if timeout is None:
        return _current
    s = parse_seconds(timeout, where="timeout")
    return Limit(s, "the caller") if s is not None else None


# ---------------------------------------------------------------------------------------
# running a function under a limit


class _RemoteError(TreatyKGError):
    """An exception raised in the child that cannot be sent back as itself."""


def run(fn: Callable[[], Any], lim: Limit | None) -> Any:
    """``fn()`` stopped at the deadline of ``lim`` (None: run it here, unlimited).

    ``fn``'s result must be picklable. Exceptions raised by ``fn`` are raised again here.
    """
    if lim is None:
        return fn()
    if hasattr(os, "fork"):
        return _run_forked(fn, lim)
    return _run_threaded(fn, lim)


def _child(fn, w: int) -> None:
    try:
        try:
            payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            try:
                payload = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
                pickle.loads(payload)
            except Exception:
                payload = pickle.dumps((False, _RemoteError(f"{type(exc).__name__}: {exc}")))
        view = memoryview(len(payload).to_bytes(8, "little") + payload)
        while view:
            n = os.write(w, view[:1 << 20])
            view = view[n:]
    finally:
        os._exit(0)  # never return into the parent's stack, never flush its buffers


def _run_forked(fn, lim: Limit):
    _reap()
    deadline = time.monotonic() + lim.seconds
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        except Exception:
            pass
        _child(fn, w)
    os.close(w)
    buf = bytearray()
    need = None  # payload length, once its 8-byte header has arrived
    done = eof = False
    try:
        while not done:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([r], [], [], left)
            if not ready:
                continue
            data = os.read(r, 1 << 20)
            if not data:
                eof = True
                break
            buf += data
            if need is None and len(buf) >= 8:
                need = int.from_bytes(buf[:8], "little")
            done = need is not None and len(buf) >= 8 + need
    finally:
        os.close(r)
        if not (done or eof):  # deadline, or the parent was interrupted: stop and reap the child
            _kill(pid)
            os.waitpid(pid, 0)
    if not (done or eof):
        raise QueryTimeout(lim.message())
    if not done:
        _, status = os.waitpid(pid, 0)
        raise _RemoteError(f"the query process ended without a complete answer (status {status})")
    _zombies.append(pid)  # it is exiting; reaped without waiting, here or on the next call
    _reap()
    ok, value = pickle.loads(bytes(buf[8:]))
    if ok:
        return value
    raise value


_zombies: list[int] = []


def _reap() -> None:
    for pid in list(_zombies):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _zombies.remove(pid)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _run_threaded(fn, lim: Limit):
    box: dict[str, Any] = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    t = threading.Thread(target=target, name="treatykg-query", daemon=True)
    t.start()
    t.join(lim.seconds)
    if t.is_alive():
        raise QueryTimeout(lim.message())
    if "error" in box:
        raise box["error"]
    return box["value"]
