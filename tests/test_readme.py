"""Every command and example in README.md runs, and shows what it really prints."""

import contextlib
import io
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from treatykg.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")


def console_examples():
    out = []
    for block in re.findall(r"```console\n(.*?)```", TEXT, re.S):
        cmd, expected = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if cmd:
                    out.append((cmd, expected))
                cmd, expected = line[2:], []
            else:
                expected.append(line)
        if cmd:
            out.append((cmd, expected))
    return out


EXAMPLES = console_examples()


def test_readme_has_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("cmd,expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_console_example_prints_what_the_readme_shows(cmd, expected, capsys):
    argv = shlex.split(cmd)
    assert argv[0] == "treatykg"
    out = io.StringIO()
    code = main(argv[1:], out=out)
    assert code == 0, capsys.readouterr().err
    actual = [l.rstrip() for l in out.getvalue().splitlines()]
    shown = expected[: expected.index("...")] if "..." in expected else expected
    assert actual[: len(shown)] == [l.rstrip() for l in shown]


def test_python_example_runs():
    [code] = re.findall(r"```python\n(.*?)```", TEXT, re.S)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, "README.md", "exec"), {})
    assert buf.getvalue().strip() == "uncertain"


def test_make_targets_run_the_readme_commands():
    dry = subprocess.run(["make", "-n", "-W", "pyproject.toml", "oversight", "test"], cwd=README.parent,
                         capture_output=True, text=True)
    assert "treatykg oversight RUS" in dry.stdout
    assert "pytest -q" in dry.stdout
    # CI installs with make and runs exactly the recipe of `make test`
    recipe = subprocess.run(["make", "-n", "-W", "pyproject.toml", "test"], cwd=README.parent,
                            capture_output=True, text=True).stdout.strip().splitlines()[-1]
    ci = (README.parent / ".ci" / "run").read_text().splitlines()
    assert "make install" in ci
    assert recipe in ci
