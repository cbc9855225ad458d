"""The compiled core is imported only where docs/architecture.md says.

import-linter (``nox -s lint``) checks the layers in pyproject.toml, but it
reads only .py files and so cannot see ``vipreport._core``. This test holds the
rule for it: the metrics layer calls the core, and so does the loader (io:
person keys, repeated rows); config, report and the CLI go through them.
"""

import ast
from pathlib import Path

import vipreport

PACKAGE = Path(vipreport.__file__).parent
ALLOWED = {"metrics", "io"}


def _imports_core(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names = {alias.name for alias in node.names}
            if (
                (node.module or "").endswith("_core")
                or ("_core" in names and node.level > 0)
                or (node.module == "vipreport" and "_core" in names)
            ):
                return True
        elif isinstance(node, ast.Import) and any(a.name == "vipreport._core" for a in node.names):
            return True
    return False


def test_only_metrics_and_the_loader_import_the_core() -> None:
    importers = {p.relative_to(PACKAGE).parts[0] for p in PACKAGE.rglob("*.py") if _imports_core(p)}
    assert importers >= {"metrics", "io"}  # the check sees the imports it is meant to see
    assert importers <= ALLOWED, importers - ALLOWED
