"""The types of pip_policy (pip_policy.types, the stubs, py.typed) hold up
under mypy in strict mode (the configuration in pyproject.toml): the package
itself, the README's program (examples/quickstart.py) and a file of typical
mistakes (typing/misuse.py), each of whose marked lines must be reported.

Needs Debian's mypy (scripts/common.sh installs it). The requests and
decisions the types describe are those of docs/json.md; test_types.py checks
them against real answers."""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

import pip_policy

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent  # bindings/python
CONFIG = PACKAGE_ROOT / "pyproject.toml"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """One mypy run over the package (-p pip_policy), the README's program
    (-m quickstart) and the mistakes (-m misuse), with pip_policy found where
    this interpreter finds it (the build tree's compiled parts and the
    sources), strict per pyproject.toml: {module: [(line, message)]}."""
    exe = shutil.which("mypy")
    assert exe, "mypy is not installed (apt-get install mypy; scripts/common.sh)"
    tmp = tmp_path_factory.mktemp("mypy")
    roots = [str(pathlib.Path(p).parent) for p in pip_policy.__path__]
    roots += [str(PACKAGE_ROOT / "examples"), str(HERE / "typing")]
    env = dict(os.environ, MYPYPATH=os.pathsep.join(roots))
    env.pop("PYTHONPATH", None)
    run = subprocess.run(
        [exe, "--config-file", str(CONFIG), "--cache-dir", str(tmp / "cache"),
         "--python-executable", sys.executable, "--no-error-summary",
         "--hide-error-context", "--no-color-output",
         "-p", "pip_policy", "-m", "quickstart", "-m", "misuse"],
        capture_output=True, text=True, env=env, cwd=tmp)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 1), run.stderr
    errors = {}
    for line in run.stdout.splitlines():
        match = re.match(r"(.*?):(\d+): error: (.*)$", line)
        if match:
            name = pathlib.Path(match.group(1)).stem
            errors.setdefault(name, []).append((int(match.group(2)), match.group(3)))
    return errors


def test_package_passes_strict_mypy(report):
    others = {k: v for k, v in report.items() if k not in ("quickstart", "misuse")}
    assert others == {}


def test_readme_program_passes_strict_mypy(report):
    assert report.get("quickstart", []) == []


def test_misuse_is_reported_line_by_line(report):
    # A misspelt field of a request is refused at run time (docs/json.md);
    # the types refuse it before the program runs.
    path = HERE / "typing" / "misuse.py"
    expected = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = re.search(r"# error: (.+)$", line)
        if match:
            expected[number] = match.group(1).strip()
    assert len(expected) >= 10
    reported = {}
    for number, message in report.get("misuse", []):
        reported.setdefault(number, []).append(message)
    unexpected = {n: m for n, m in reported.items() if n not in expected}
    assert not unexpected, f"errors on lines not marked: {unexpected}"
    for number, fragment in expected.items():
        messages = reported.get(number, [])
        assert any(fragment.lower() in m.lower() for m in messages), (
            f"misuse.py:{number}: expected an error with {fragment!r}, got {messages}")
