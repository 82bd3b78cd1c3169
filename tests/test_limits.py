"""The query time limit: a runaway query is stopped, named, and costs nothing when absent."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from treatykg import limits
from treatykg.errors import InputError, QueryTimeout
from treatykg.kg import load_graph

# 200 subjects: a five-way cross product has 3.2e11 solutions, far beyond any limit.
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f . ?g ?p ?h . ?i ?p ?j }"
SMALL = 'SELECT ?s WHERE { ?s <http://example.org/p> "5" }'


@pytest.fixture(scope="module")
def small_file(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("limits") / "small.ttl"
    p.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(200)))
    return p


@pytest.fixture(scope="module")
def small_kg(small_file):
    return load_graph([small_file], use_cache=False)


def _live_children() -> list[int]:
    """Our child processes that are still running (not zombies); Linux only."""
    me = str(os.getpid())
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            out.append(int(d.name))
    return out


def test_runaway_query_is_stopped_at_the_deadline(small_kg):
    before = set(_live_children()) if Path("/proc").is_dir() else set()
    t0 = time.monotonic()
    with pytest.raises(QueryTimeout) as err:
        small_kg.select(EXPLOSIVE, timeout=1.5)
    elapsed = time.monotonic() - t0
    assert 1.5 <= elapsed < 3.0
    msg = str(err.value)
    assert "1.5 s" in msg and "--timeout" in msg and limits.ENV in msg
    if Path("/proc").is_dir():  # the evaluation does not go on in the background
        assert set(_live_children()) <= before


def test_limit_in_force_applies_to_select_and_ask(small_kg):
    with limits.limit(1):
        with pytest.raises(QueryTimeout, match="time limit of 1 s"):
            small_kg.ask("ASK { { " + EXPLOSIVE + " } FILTER(?n < 0) }")
    assert limits.current() is None  # restored after the block


def test_fast_queries_give_the_same_answer_with_and_without_a_limit(small_kg):
    free = small_kg.select(SMALL, timeout=0)
    limited = small_kg.select(SMALL, timeout=30)
    assert [r[0].value for r in free.rows] == ["http://example.org/s5"]
    assert limited.variables == free.variables and limited.rows == free.rows
    assert small_kg.ask("ASK { ?s ?p ?o }") is True
    with limits.limit(30):
        assert small_kg.ask("ASK { ?s ?p 'nothing' }") is False


def test_errors_in_a_limited_query_come_back_as_themselves(small_kg):
    with pytest.raises(SyntaxError):
        small_kg.select("SELECT ?s WHERE { ?s ?p ", timeout=30)


@pytest.mark.parametrize("text,expected", [("2.5", 2.5), ("0", None), ("none", None), (3, 3.0)])
def test_parse_seconds(text, expected):
    assert limits.parse_seconds(text) == expected


@pytest.mark.parametrize("text", ["abc", "-1", "nan", ""])
def test_parse_seconds_rejects_bad_values(text):
    with pytest.raises(InputError, match="seconds"):
        limits.parse_seconds(text)


def test_resolve_order(monkeypatch):
    monkeypatch.delenv(limits.ENV, raising=False)
    assert limits.resolve(None) == limits.Limit(limits.DEFAULT_SECONDS, "the default")
    monkeypatch.setenv(limits.ENV, "7")
    assert limits.resolve(None) == limits.Limit(7.0, limits.ENV)
    assert limits.resolve("3") == limits.Limit(3.0, "--timeout")
    assert limits.resolve("0") is None


def _cli(args, env_extra=None, stdin=None):
    env = {k: v for k, v in os.environ.items() if k != limits.ENV}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "treatykg.cli", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=60)


def test_cli_timeout_option_stops_the_query_with_exit_2(small_file, tmp_path):
    q = tmp_path / "explode.rq"
    q.write_text(EXPLOSIVE)
    t0 = time.monotonic()
    r = _cli(["--timeout", "1", "sparql", str(q), "--data", str(small_file)])
    assert r.returncode == 2
    assert time.monotonic() - t0 < 20
    assert "time limit of 1 s (--timeout)" in r.stderr and r.stdout == ""


def test_cli_timeout_from_environment(small_file, tmp_path):
    q = tmp_path / "explode.rq"
    q.write_text(EXPLOSIVE)
    r = _cli(["sparql", str(q), "--data", str(small_file)], {limits.ENV: "1"})
    assert r.returncode == 2
    assert f"time limit of 1 s ({limits.ENV})" in r.stderr


def test_cli_rejects_a_bad_timeout(small_file):
    r = _cli(["--timeout", "soon", "sparql", "-", "--data", str(small_file)], stdin=SMALL)
    assert r.returncode == 2 and "--timeout: 'soon'" in r.stderr


def test_cli_fast_query_under_the_default_limit(small_file):
    r = _cli(["sparql", "-", "--format", "csv", "--data", str(small_file)], stdin=SMALL)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["s", "http://example.org/s5"]
