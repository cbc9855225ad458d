"""The shipped type stubs describe exactly the compiled core, and the package is marked typed."""

import ast
import re
from importlib import resources

import pytest

from vipreport import _core

STUB = ast.parse(resources.files("vipreport").joinpath("_core.pyi").read_text())
STUBBED_FUNCTIONS = {n.name: n for n in STUB.body if isinstance(n, ast.FunctionDef)}


def test_stubs_name_every_core_name_and_no_other() -> None:
    stubbed = set(STUBBED_FUNCTIONS)
    stubbed |= {n.target.id for n in STUB.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    assert stubbed == {name for name in dir(_core) if not name.startswith("_")}
    assert resources.files("vipreport").joinpath("py.typed").is_file()


def _split_top_level(text: str) -> list[str]:
    """Split pybind11's parameter list on the commas that are not inside brackets."""
    parts: list[str] = []
    depth = start = 0
    for i, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def _bound_parameters(name: str) -> list[tuple[str, str, bool]]:
    """(name, kind, has default) of each parameter, read from the signature pybind11 writes
    on the first line of the function's docstring; kind is "positional" or "keyword"."""
    line = getattr(_core, name).__doc__.splitlines()[0]
    inside = re.fullmatch(rf"{name}\((.*)\) -> .*", line)
    assert inside is not None, line
    out: list[tuple[str, str, bool]] = []
    kind = "positional"
    for part in _split_top_level(inside.group(1)):
        if part == "*":
            kind = "keyword"
            continue
        out.append((part.split(":")[0].strip(), kind, "=" in part))
    return out


def _stub_parameters(node: ast.FunctionDef) -> list[tuple[str, str, bool]]:
    args = node.args
    positional = args.posonlyargs + args.args
    n_plain = len(positional) - len(args.defaults)
    out = [(a.arg, "positional", i >= n_plain) for i, a in enumerate(positional)]
    out += [(a.arg, "keyword", d is not None) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)]
    return out


@pytest.mark.parametrize("name", sorted(STUBBED_FUNCTIONS))
def test_stub_signature_matches_the_binding(name: str) -> None:
    # Same parameter names, in order, the same keyword-only ones, and defaults in the same places.
    assert _stub_parameters(STUBBED_FUNCTIONS[name]) == _bound_parameters(name)
