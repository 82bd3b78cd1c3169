"""The command line, run in-process: outputs, exit codes, and one-line errors for bad input."""

import io
import json

import pytest

from treatykg.cli import main

from conftest import FIXTURES

RULES = str(FIXTURES / "derive" / "rules.ttl")


def run(argv, capsys):
    out = io.StringIO()
    code = main(argv, out=out)
    err = capsys.readouterr().err
    return code, out.getvalue(), err


def test_oversight_table_with_status_and_sources(capsys):
    code, out, err = run(["oversight", "RUS", "--on", "2025-12-01", "--data", RULES], capsys)
    assert code == 0, err
    lines = {l.split()[0] + " " + l.split()[1]: l for l in out.splitlines() if l.startswith(("ETS", "IV-"))}
    assert "bound, denunciation pending" in lines["ETS-126 procedure/coe-ets-126/periodic-visits"]
    assert "surviving obligations (acts before 2022-09-16)" in lines["ETS-5 procedure/coe-ets-5/individual-complaints"]
    assert "[1] https://example.org/fixture" in out


def test_oversight_no_answer_exits_1(capsys):
    code, out, _ = run(["oversight", "RUS", "--on", "1950-01-01", "--data", RULES], capsys)
    assert code == 1 and "No oversight procedure binds" in out


@pytest.mark.parametrize("argv,needle", [
    (["oversight", "ZZZ", "--data", RULES], "state: the graph knows no acts of 'ZZZ'"),
    (["oversight", "RUS", "--on", "2025-02-30", "--data", RULES], "--on: '2025-02-30' is not a valid date"),
    (["oversight", "RUS", "--on", "yesterday", "--data", RULES], "--on: 'yesterday' is not a date of the form YYYY-MM-DD"),
    (["explain", "RUS", "ETS-999", "--data", RULES], "treaty: unknown treaty 'ETS-999'"),
    (["query", "binding-oversite", "--data", RULES], "did you mean 'binding-oversight'"),
    (["query", "binding-oversight", "state=RUS", "--data", RULES], "missing parameter date"),
    (["query", "binding-oversight", "state=RUS", "date=2020-01-01", "colour=red", "--data", RULES], "unknown parameter 'colour'"),
    (["oversight", "RUS", "--data", "no/such/file.ttl"], "no/such/file.ttl: no such file or folder"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_is_one_line_exit_2(argv, needle, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_malformed_turtle_names_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    code, out, err = run(["oversight", "RUS", "--data", str(bad)], capsys)
    assert code == 2
    assert f"{bad}:3:" in err and out == ""


def test_query_json_is_sparql_results_json(capsys):
    code, out, err = run(["query", "binding-oversight", "state=RUS", "date=2025-12-01", "--format", "json", "--data", RULES], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert "procedure" in doc["head"]["vars"]
    procs = {b["procedure"]["value"].rsplit("/", 2)[-2] + "/" + b["procedure"]["value"].rsplit("/", 1)[-1] for b in doc["results"]["bindings"]}
    assert "coe-ets-126/periodic-visits" in procs
    b = doc["results"]["bindings"][0]
    assert b["since"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


def test_query_csv_and_list(capsys):
    code, out, _ = run(["query", "binding-oversight", "state=RUS", "date=2023-01-01", "--format", "csv", "--data", RULES], capsys)
    assert code == 0 and out.splitlines()[0].startswith("state,date,procedure")
    code, out, _ = run(["query", "--list"], capsys)
    assert code == 0 and "binding-oversight:" in out


def test_sparql_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("PREFIX tkg: <https://w3id.org/treatykg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?s a tkg:PartyStatus }"))
    code, out, _ = run(["sparql", "-", "--format", "csv", "--data", RULES], capsys)
    assert code == 0 and int(out.splitlines()[1]) > 5
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT WHERE {"))
    code, out, err = run(["sparql", "-", "--data", RULES], capsys)
    assert code == 2 and "sparql:" in err


def test_explain_gives_rule_acts_and_sources(capsys):
    code, out, err = run(["explain", "RUS", "ets-126", "--on", "2026-10-15", "--data", RULES], capsys)
    assert code == 0, err
    assert out.startswith("state/RUS and treaty/coe-ets-126 on 2026-10-15: uncertain")
    assert "not before 2025-09-29  tkg:Denunciation; effect not before 2026-10-01" in out
    assert "end computed by treaty/coe-ets-126/clause/denunciation" in out


@pytest.mark.parametrize("fmt,parse_as", [("ttl", "turtle"), ("nt", "nt"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_export_round_trips(fmt, parse_as, tmp_path, capsys):
    import rdflib

    target = tmp_path / f"out.{fmt}"
    code, out, err = run(["export", "--format", fmt, "-o", str(target), "--data", RULES], capsys)
    assert code == 0, err
    g = rdflib.Dataset() if fmt in ("trig",) else rdflib.Graph()
    g.parse(target, format=parse_as)
    assert len(g) > 100


def test_failed_export_leaves_no_file(tmp_path, capsys):
    target = tmp_path / "out.ttl"
    code, _, _ = run(["export", "-o", str(target), "--data", str(tmp_path / "missing.ttl")], capsys)
    assert code == 2 and not target.exists() and list(tmp_path.iterdir()) == []
