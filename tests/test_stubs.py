"""The shipped type stubs describe exactly the compiled core, and the package is marked typed."""

import ast
from importlib import resources

from vipreport import _core


def test_stubs_match_the_core():
    stub = resources.files("vipreport").joinpath("_core.pyi").read_text()
    tree = ast.parse(stub)
    stubbed = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    stubbed |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    assert stubbed == {name for name in dir(_core) if not name.startswith("_")}
    assert resources.files("vipreport").joinpath("py.typed").is_file()
