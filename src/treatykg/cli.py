"""The ``treatykg`` command line: a thin layer over the library.

Exit codes: 0 ok; 1 the data does not conform, or the question has no answer; 2 usage or
input error (malformed file, unknown state/treaty/query, bad date, missing parameter).
Errors are one line on stderr naming the file and line, the parameter or the IRI; nothing is
written to an output file unless the whole output is ready.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import io
import json
import sys
from pathlib import Path

from treatykg import __version__
from treatykg.errors import InputError, TreatyKGError

EXIT_OK, EXIT_NO, EXIT_USAGE = 0, 1, 2

EPILOG = """exit codes: 0 ok; 1 does not conform / no answer; 2 usage or input error.
States are ISO alpha-3 codes (RUS) or IRIs; treaties short ids (ETS-126, IV-9) or IRIs;
dates YYYY-MM-DD (default: today)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line, exit 2
        raise InputError(f"{self.prog}: {message}")


def _add_data(p):
    p.add_argument("--data", action="append", metavar="PATH",
                   help="Turtle/TriG file or folder to answer over instead of the shipped graph (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="treatykg", description="Treaties, States and the oversight they create.",
                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"treatykg {__version__}")
    p.add_argument("--timeout", metavar="SECONDS", default=None,
                   help="stop a query that runs longer (reading commands; default $TREATYKG_TIMEOUT "
                        "or 60; 0 = no limit)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    o = sub.add_parser("oversight", help="oversight procedures binding a State on a date")
    o.add_argument("state")
    o.add_argument("--on", metavar="DATE")
    _add_data(o)

    q = sub.add_parser("query", help="run a named query")
    q.add_argument("name", nargs="?")
    q.add_argument("params", nargs="*", metavar="key=value")
    q.add_argument("--list", action="store_true", help="list the named queries")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _add_data(q)

    s = sub.add_parser("sparql", help="run an ad-hoc SPARQL query (FILE or - for stdin)")
    s.add_argument("file")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _add_data(s)

    e = sub.add_parser("explain", help="why a State is or is not bound by a treaty")
    e.add_argument("state")
    e.add_argument("treaty")
    e.add_argument("--on", metavar="DATE")
    _add_data(e)

    v = sub.add_parser("validate", help="SHACL validation (exit 1 on violations)")
    v.add_argument("files", nargs="*", metavar="FILE")
    v.add_argument("--engine", metavar="NAME", help="sparql (default; constraints compiled to SPARQL) or pyshacl")

    x = sub.add_parser("export", help="the whole graph, ontology and derived status included")
    x.add_argument("--format", choices=["ttl", "nt", "trig", "nq", "jsonld"], default="ttl")
    x.add_argument("-o", "--output", metavar="FILE")
    _add_data(x)

    i = sub.add_parser("import", help="import a source into Turtle/TriG")
    i.add_argument("source", choices=["untc", "untc-csv", "ieadb", "apt"])
    i.add_argument("paths", nargs="+", metavar="PATH")
    i.add_argument("-o", "--output", metavar="DIR", help="output folder (default graph/<source>/)")

    b = sub.add_parser("build", help="derive, validate and write the dumps of the shipped graph")
    b.add_argument("-o", "--output", metavar="DIR", default="build")
    b.add_argument("--no-validate", action="store_true")
    b.add_argument("--import", dest="import_from", nargs="?", const="", metavar="DATA_DIR",
                   help="first re-import every source from DATA_DIR (default ../shared/data) into graph/")
    return p


# ---------------------------------------------------------------------------------------
# output


def _short(v) -> str:
    from treatykg.oversight import short

    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return short(v)


MAX_CELL = 60  # table cells are clipped; csv and json carry the full values


def render_table(variables: list[str], rows: list[dict]) -> str:
    def clip(text: str) -> str:
        return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"

    cells = [[clip(_short(r.get(v))) for v in variables] for r in rows]
    widths = [max([len(v)] + [len(c[i]) for c in cells]) for i, v in enumerate(variables)]
    out = io.StringIO()
    out.write("  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for c in cells:
        out.write("  ".join(x.ljust(w) for x, w in zip(c, widths)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return out.getvalue()


def render_csv(variables: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(variables)
    for r in rows:
        w.writerow(["" if r.get(v) is None else (str(r[v]).lower() if isinstance(r[v], bool) else str(r[v])) for v in variables])
    return buf.getvalue()


def render_json(result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    import pyoxigraph as ox

    bindings = []
    for row in result.rows:
        b = {}
        for var, term in zip(result.variables, row):
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                b[var] = {"type": "uri", "value": term.value}
            elif isinstance(term, ox.BlankNode):
                b[var] = {"type": "bnode", "value": term.value}
            else:
                d = {"type": "literal", "value": term.value}
                if term.language:
                    d["xml:lang"] = term.language
                elif term.datatype is not None and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    d["datatype"] = term.datatype.value
                b[var] = d
        bindings.append(b)
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, indent=1) + "\n"


def render(result, fmt: str) -> str:
    if fmt == "json":
        return render_json(result)
    rows = result.dicts()
    return render_csv(result.variables, rows) if fmt == "csv" else render_table(result.variables, rows)


def oversight_table(rows: list[dict], state: str, on) -> str:
    """The flagship table: one line per procedure, sources as numbered notes."""
    from treatykg.oversight import short

    if not rows:
        return f"No oversight procedure binds {short(state)} on {on} in this graph.\n"
    notes: dict[str, int] = {}
    table = []
    for r in rows:
        refs = []
        for url in (r.get("sources") or "").split():
            notes.setdefault(url, len(notes) + 1)
            refs.append(str(notes[url]))
        since = str(r["since"]) if r.get("sinceLatest") == r.get("since") else f"{r['since']}..{r.get('sinceLatest') or '?'}"
        if r.get("until") is None:
            until = ""
        elif r.get("untilLatest") == r.get("until"):
            until = str(r["until"])
        else:
            until = f"not before {r['until']}" + (f", by {r['untilLatest']}" if r.get("untilLatest") else "")
        status = r["status"]
        if r.get("coversActsBefore"):
            status += f" (acts before {r['coversActsBefore']})"
        table.append({
            "treaty": r.get("treatyId") or short(r["treaty"]),
            "procedure": r.get("kind") or short(r["procedure"]),
            "body": r.get("bodyLabel") or short(r.get("body")),
            "basis": r.get("basis") or "",
            "since": since,
            "until": until,
            "status": status,
            "sources": ",".join(refs),
        })
    cols = ["treaty", "procedure", "body", "basis", "since", "until", "status", "sources"]
    out = [f"Oversight binding {short(state)} on {on}:", "", render_table(cols, table).rstrip("\n"), "", "Sources:"]
    out += [f"  [{n}] {url}" for url, n in notes.items()]
    out.append("until is exclusive: the first day the procedure no longer applies.")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------
# commands


def _kg(args):
    from treatykg.kg import load_graph

    return load_graph(args.data) if getattr(args, "data", None) else load_graph()


def _on(value):
    from treatykg.dates import parse_date

    return _dt.date.today() if value is None else parse_date(value, what="--on")


def cmd_oversight(args, out) -> int:
    from treatykg.oversight import oversight
    from treatykg.queries import resolve_state

    on = _on(args.on)
    kg = _kg(args)
    state = resolve_state(kg, args.state)
    rows = oversight(kg, state, on)
    out.write(oversight_table(rows, state, on))
    return EXIT_OK if rows else EXIT_NO


def cmd_query(args, out) -> int:
    from treatykg import queries

    if args.list:
        lib = queries.library()
        for q in lib.values():
            ps = " ".join(f"{p.name}={p.example}" + ("?" if p.optional else "") for p in q.params)
            out.write(f"{q.id}: {q.question}\n    params: {ps or '(none)'}\n")
        return EXIT_OK
    if not args.name:
        raise InputError("query: give a query NAME or --list")
    q = queries.get(args.name)
    values = {}
    for kv in args.params:
        if "=" not in kv:
            raise InputError(f"query {q.id}: parameter {kv!r} is not key=value")
        k, v = kv.split("=", 1)
        values[k.strip()] = v
    kg = _kg(args)
    result = kg.select(q.text, queries.resolve_params(kg, q, values))
    out.write(render(result, args.format))
    return EXIT_OK


def cmd_sparql(args, out) -> int:
    if args.file == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.file)
        if not path.is_file():
            raise InputError(f"sparql: {args.file}: no such file")
        text = path.read_text(encoding="utf-8")
    kg = _kg(args)
    try:
        result = kg.select(text)
    except SyntaxError as exc:
        raise InputError(f"sparql: {args.file}: {exc}") from None
    out.write(render(result, args.format))
    return EXIT_OK


def cmd_explain(args, out) -> int:
    from treatykg.oversight import explain, explanation_text

    on = _on(args.on)
    kg = _kg(args)
    ex = explain(kg, args.state, args.treaty, on)
    out.write(explanation_text(ex) + "\n")
    return EXIT_OK


def cmd_validate(args, out) -> int:
    from treatykg.kg import load_graph
    from treatykg.validate import DEFAULT_ENGINE, validate

    kg = load_graph(args.files) if args.files else load_graph()
    result = validate(kg, engine=args.engine or DEFAULT_ENGINE)
    out.write(result.text() + "\n")
    return EXIT_OK if result.conforms else EXIT_NO


def cmd_export(args, out) -> int:
    from treatykg.importers.base import write_bytes_atomic

    kg = _kg(args)
    data = kg.dump(args.format)
    if args.output:
        write_bytes_atomic(Path(args.output), data)
        out.write(f"wrote {args.output} ({len(data)} bytes, {len(kg)} quads)\n")
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    return EXIT_OK


def cmd_import(args, out) -> int:
    from treatykg import importers, resources

    target = Path(args.output) if args.output else resources.graph_dir() / importers.DEFAULT_FOLDER[args.source]
    report = importers.import_source(args.source, [Path(p) for p in args.paths], target)
    out.write(report.text() + "\n")
    return EXIT_OK if report.usable else EXIT_NO


def cmd_build(args, out) -> int:
    from treatykg import resources
    from treatykg.build import build

    import_from = None
    if args.import_from is not None:
        import_from = Path(args.import_from) if args.import_from else resources.shared_data_dir()
        if import_from is None:
            raise InputError("build --import: no shared data folder (../shared/data or $TREATYKG_SHARED_DATA); name one")
        if not import_from.is_dir():
            raise InputError(f"build --import: {import_from}: not a folder")
    summary = build(Path(args.output), validate=not args.no_validate, import_from=import_from)
    out.write(summary.text() + "\n")
    if any(not r.usable for r in summary.imports):
        return EXIT_NO
    return EXIT_OK if summary.conforms in (True, None) else EXIT_NO


COMMANDS = {
    "oversight": cmd_oversight, "query": cmd_query, "sparql": cmd_sparql, "explain": cmd_explain,
    "validate": cmd_validate, "export": cmd_export, "import": cmd_import, "build": cmd_build,
}


READING_COMMANDS = ("oversight", "query", "sparql", "explain", "export")


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            build_parser().print_help(out)
            return EXIT_USAGE
        if args.command in READING_COMMANDS:
            from treatykg import limits

            with limits.limit(limits.resolve(args.timeout)):
                return COMMANDS[args.command](args, out)
        return COMMANDS[args.command](args, out)
    except TreatyKGError as exc:
        print(f"treatykg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("treatykg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
