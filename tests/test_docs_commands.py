"""Every shell command README.md and CONTRIBUTING.md give can run as written.

The commands are read from the files' ``bash`` blocks and from inline code that starts
with a command (``nox``, ``python``, ``pip``, ``.nox/ENV/bin/TOOL``, ``export`` or an
environment variable).  Running them would take the whole CI (a book build, the
Colab runs), so each is checked where it could break: a nox session exists in
``noxfile.py`` and its arguments mean something there (a test file, a marker, a
notebook, an option of the tool it runs); a tool in ``.nox/ENV/bin`` is in the
dependency group that session installs; a script exists and takes the options given;
an environment variable is read by the code; ``pip install`` names an extra the
project declares or a package an environment of the project installs.  CI runs the
README's two commands as written (``.ci/run``).  A command of a new kind fails here
until this file learns to check it.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest
from conftest import REPO

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (nox -s minimum)
    import tomli as tomllib

DOCS = ("README.md", "CONTRIBUTING.md")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
COMMAND = re.compile(r"^(?:[A-Z][A-Z0-9_]*=\S+ )*(?:nox|python|pip|export|\.nox/\w+/bin/[\w-]+) \S")


def doc_commands():
    """``[(doc, command)]``: each command of the docs' bash blocks and inline code."""
    found = []
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        for block in re.findall(r"```(?:bash|sh|shell)\n(.*?)```", text, flags=re.DOTALL):
            for line in block.splitlines():
                line = re.sub(r"\s+#.*$", "", line).strip()
                if line and not line.startswith("#"):
                    found += [(doc, part.strip()) for part in line.split(" && ")]
        prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
        for span in re.findall(r"`([^`\n]+)`", prose):
            if COMMAND.match(span):
                found += [(doc, part.strip()) for part in span.split(" && ")]
    return sorted(set(found))


def _decorated_sessions():
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if ast.unparse(target) == "nox.session":
                    yield node


def sessions():
    """``{name: (groups it installs, source of its body)}`` from ``noxfile.py``."""
    out = {}
    for fn in _decorated_sessions():
        groups = {
            call.args[1].value
            for call in ast.walk(fn)
            if isinstance(call, ast.Call)
            and ast.unparse(call.func) in ("install_course", "nox.project.dependency_groups")
            and len(call.args) > 1
            and isinstance(call.args[1], ast.Constant)
        }
        out[fn.name] = (groups, ast.unparse(fn))
    return out


def _req_name(requirement):
    return re.split(r"[<>=!~;\[ @]", requirement.strip(), maxsplit=1)[0].lower()


def group_names(group, seen=()):
    """The distributions a dependency group installs, its included groups' too."""
    names = set()
    for item in PYPROJECT["dependency-groups"][group]:
        if isinstance(item, dict):
            names |= group_names(item["include-group"], (*seen, group))
        else:
            names.add(_req_name(item))
    return names


def installable_names():
    """What the project installs somewhere: its groups, extras and Binder's environment."""
    names = set().union(*(group_names(g) for g in PYPROJECT["dependency-groups"]))
    for extra in PYPROJECT["project"]["optional-dependencies"].values():
        names |= {_req_name(r) for r in extra}
    binder = (REPO / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return names | {_req_name(r) for r in binder if r.strip() and not r.startswith("#")}


def ci_text():
    files = [REPO / ".ci" / "run", *sorted((REPO / ".github" / "workflows").glob("*.yml"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def env_var_is_read(name):
    sources = [*(REPO / "code").rglob("*.py"), *(REPO / "tools").glob("*.py"),
               *(REPO / "tests").glob("*.py"), REPO / "noxfile.py"]  # fmt: skip
    return any(name in p.read_text(encoding="utf-8") for p in sources if p != Path(__file__))


def script_options(path):
    return set(re.findall(r"""["'](--[\w-]+)["']""", path.read_text(encoding="utf-8")))


def check_nox(words):
    """Problems of ``nox [-r|-R] -s SESSION [--install-only] [-- ARGS]``, or ``nox -l``."""
    if words in (["nox", "-l"], ["nox", "-r"]):
        return []  # list the sessions; the reuse flag named alone
    rest = words[1:]
    flags, posargs = (
        (rest[: rest.index("--")], rest[rest.index("--") + 1 :]) if "--" in rest else (rest, [])
    )
    if "-s" not in flags:
        return [f"no -s SESSION in {words}"]
    given = flags[flags.index("-s") + 1]
    known = sessions()
    name, _, params = given.partition("(")  # a parametrised session: backends(backend='torch')
    if name not in known:
        return [f"no session {name!r} in noxfile.py (it has {sorted(known)})"]
    for value in re.findall(r"=('[^']*')", params):
        if value not in known[name][1]:  # the source includes the @nox.parametrize line
            return [f"session {name!r} is not parametrised with {value}"]
    unknown = set(flags) - {"-r", "-R", "-s", given, "--install-only"}
    if unknown:
        return [f"nox options {sorted(unknown)} are not checked here"]
    return check_posargs(name, posargs, known[name][1])


def check_posargs(session, args, body):
    problems = []
    if "run('pytest'" in body:  # the session runs pytest: its arguments
        for k, arg in enumerate(args):
            if arg == "-m":
                markers = {
                    m.split(":")[0] for m in PYPROJECT["tool"]["pytest"]["ini_options"]["markers"]
                }
                words = set(re.findall(r"\w+", args[k + 1])) - {"not", "and", "or"}
                problems += [f"no pytest marker {w!r}" for w in words - markers]
            elif arg.startswith("tests/") and not (REPO / arg.split("::")[0]).is_file():
                problems.append(f"no test file {arg}")
    elif session in ("colab", "fresh"):  # notebooks by name, as tools/run_notebooks.py takes them
        problems += [
            f"no notebook book/{a}.ipynb"
            for a in args
            if not (REPO / "book" / f"{a}.ipynb").is_file()
        ]
    elif args:
        script = re.search(r"tools/(\w+)\.py", body)
        path = REPO / "tools" / f"{script.group(1)}.py" if script else None
        options = script_options(path) if path else set()
        text = path.read_text(encoding="utf-8") if path else ""
        for a in args:
            if a.startswith("-"):
                problems += [] if a in options else [f"{a} is no option of the session's tool"]
            elif not (a.isdigit() or f'"{a}"' in text):  # an option's value: one it names
                problems.append(f"{a} is no value the session's tool names")
    return problems


def check_command(command):
    """Why ``command`` could not run as the docs say; ``[]`` when it can."""
    words = shlex.split(command)
    while words and re.match(r"^[A-Z][A-Z0-9_]*=", words[0]):  # VAR=value command
        var = words.pop(0).split("=")[0]
        if not env_var_is_read(var):
            return [f"no code reads ${var}"]
    if not words:
        return []
    head = words[0]
    if head == "export":
        var = words[1].split("=")[0]
        return [] if env_var_is_read(var) else [f"no code reads ${var}"]
    if head == "nox":
        return check_nox(words)
    if head.startswith(".nox/"):  # a tool in a session's environment
        env, tool = head.split("/")[1], head.split("/")[-1]
        known = sessions()
        if env not in known:
            return [f"no session {env!r} makes .nox/{env}"]
        groups = known[env][0]
        if not any(tool in group_names(g) for g in groups):
            return [f"{tool} is in none of the groups {sorted(groups)} that nox -s {env} installs"]
        return []
    if words[:3] == ["python", "-m", "venv"] or words == ["pip", "freeze"]:
        return []
    pip = (
        words[3:] if words[:3] == ["python", "-m", "pip"] else words[1:] if head == "pip" else None
    )
    if pip is not None:
        return check_pip(pip, command)
    if head == "python" and len(words) > 1 and words[1].startswith("tools/"):
        script = REPO / words[1]
        if not script.is_file():
            return [f"no script {words[1]}"]
        bad = [w for w in words[2:] if w.startswith("--") and w not in script_options(script)]
        return [f"{words[1]} takes no option {b}" for b in bad]
    return [f"a command of a kind tests/test_docs_commands.py does not check: {command!r}"]


def check_pip(args, command):
    if args[:1] != ["install"]:
        return [f"pip {' '.join(args)} is not checked here"]
    problems = []
    extras = PYPROJECT["project"]["optional-dependencies"]
    for arg in args[1:]:
        if arg == ".":
            continue
        if arg.startswith(".["):
            problems += [
                f"no extra {e!r} in pyproject.toml" for e in arg[2:-1].split(",") if e not in extras
            ]
        elif arg == "nox":
            if "python -m pip install nox" not in ci_text():
                problems.append("CI never installs nox the way the docs say")
        elif _req_name(arg) not in installable_names():
            problems.append(f"{arg} is installed by no environment of the project")
    return problems


COMMANDS = doc_commands()


def test_the_docs_give_commands():
    assert len({doc for doc, _ in COMMANDS}) == len(DOCS)
    assert ("README.md", "nox -s tests") in COMMANDS


@pytest.mark.parametrize(("doc", "command"), COMMANDS, ids=[f"{d}: {c}" for d, c in COMMANDS])
def test_each_command_of_the_docs_can_run_as_written(doc, command):
    problems = check_command(command)
    assert not problems, f"{doc}: `{command}`: {'; '.join(problems)}"


def test_ci_runs_the_readmes_test_command_as_written():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = "python -m pip install nox && nox -s tests"
    assert line in readme and line in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("nox -s nonesuch", "no session 'nonesuch'"),
        ("nox -r -s tests -- -m 'not sloow'", "no pytest marker 'sloow'"),
        ("nox -s tests -- tests/test_nonesuch.py", "no test file"),
        ("nox -s colab -- exercises/nonesuch", "no notebook"),
        ("nox -s notebooks -- --snapshots", "no option"),
        (".nox/book/bin/nbmake book/data.md", "in none of the groups"),
        ('python -m pip install ".[gpu]"', "no extra 'gpu'"),
        ("python tools/nonesuch.py", "no script"),
        ("jupyter nbconvert --execute book/data.md", "does not check"),
        ("NONESUCH_VAR=1 nox -s tests", "no code reads $NONESUCH_VAR"),
    ],
)
def test_a_command_that_cannot_run_is_caught(command, problem):
    assert any(problem in p for p in check_command(command)), check_command(command)
