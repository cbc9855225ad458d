"""The shipped type stubs describe exactly the compiled core, and the package is marked typed."""

import ast
import re
from importlib import resources

import pytest

from vipreport import _core

STUB = ast.parse(resources.files("vipreport").joinpath("_core.pyi").read_text())
STUBBED_FUNCTIONS = {n.name: n for n in STUB.body if isinstance(n, ast.FunctionDef)}
STUBBED_CLASSES = {n.name: n for n in STUB.body if isinstance(n, ast.ClassDef)}


def test_stubs_name_every_core_name_and_no_other() -> None:
    stubbed = set(STUBBED_FUNCTIONS) | set(STUBBED_CLASSES)
    stubbed |= {n.target.id for n in STUB.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    public = {name for name in dir(_core) if not name.startswith("_")}
    assert stubbed - {"__all__"} == public
    (exported,) = (n.value for n in STUB.body if isinstance(n, ast.AnnAssign) and ast.unparse(n.target) == "__all__")
    assert exported is not None and set(ast.literal_eval(exported)) == public
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


def _bound_return(doc: str | None) -> str:
    """The return type pybind11 writes after "->" on a signature line, with the module's own prefix dropped."""
    assert doc is not None
    return doc.splitlines()[0].rsplit(" -> ", 1)[1].replace("vipreport._core.", "")


@pytest.mark.parametrize("name", sorted(STUBBED_FUNCTIONS))
def test_stub_return_type_matches_the_binding(name: str) -> None:
    returns = STUBBED_FUNCTIONS[name].returns
    assert returns is not None
    assert ast.unparse(returns) == _bound_return(getattr(_core, name).__doc__)


def _stub_properties(node: ast.ClassDef) -> dict[str, str]:
    """Each property of a stubbed class, with its annotated type."""
    return {
        f.name: ast.unparse(f.returns)
        for f in node.body
        if isinstance(f, ast.FunctionDef)
        and f.returns is not None
        and any(isinstance(d, ast.Name) and d.id == "property" for d in f.decorator_list)
    }


def _bound_properties(cls: type) -> dict[str, str]:
    """Each property of a bound class, with the type pybind11 writes on its getter's signature."""
    return {name: _bound_return(attr.fget.__doc__) for name, attr in vars(cls).items() if isinstance(attr, property)}


@pytest.mark.parametrize("name", sorted(STUBBED_CLASSES))
def test_stub_class_has_the_bound_properties_and_types(name: str) -> None:
    # Same attributes, none missing or extra, each with the type of what the core hands back.
    bound = _bound_properties(getattr(_core, name))
    assert bound, name
    assert _stub_properties(STUBBED_CLASSES[name]) == bound
