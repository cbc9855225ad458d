"""The Examples sections of the docstrings run as doctests, and every public name has one.

The examples are what the API reference (docs/api.rst, built by ``nox -s docs``) shows, so an
example whose printed output no longer matches the code fails here, on every session's pandas
and numpy. The outputs are plain Python values (``.tolist()``, ``int(...)``, ``round(..., 3)``)
so they print alike on pandas 2 and 3 and numpy 1 and 2.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import vipreport as vr

ROOT = Path(__file__).resolve().parents[1]
# __main__ runs the command line on import; vipreport.testing and vipreport.publication are deprecated
# aliases (they warn on import); the pytest plugin is left for pytest to import (the tests that run it with
# `-p` need it not imported yet).
SKIPPED_MODULES = {"vipreport.__main__", "vipreport.testing", "vipreport.publication", "vipreport.pytest_plugin"}


def _modules(package: Any = vr) -> list[str]:
    # Not pkgutil.walk_packages: it imports every package it meets, a skipped one (an alias that warns) too.
    found = [package.__name__]
    for info in pkgutil.iter_modules(package.__path__, prefix=package.__name__ + "."):
        if info.name in SKIPPED_MODULES or info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        found += _modules(importlib.import_module(info.name)) if info.ispkg else [info.name]
    return found


def _doctests() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests: dict[str, doctest.DocTest] = {}
    for name in _modules():
        for test in finder.find(importlib.import_module(name)):
            if test.examples:
                tests.setdefault(test.name, test)  # a re-exported object is found once per module
    return sorted(tests.values(), key=lambda t: t.name)


DOCTESTS = _doctests()


@pytest.fixture(scope="module")
def demo_once() -> Iterator[None]:
    """Every example starts with ``data = vr.datasets.demo()``: build it once for the module.

    Only the call without arguments is shared (the examples never change the dataset); any other
    call builds its own.
    """
    real = vr.datasets.demo
    shared = real()

    def demo(**kwargs: Any) -> vr.Dataset:
        return shared if not kwargs else real(**kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vr.datasets, "demo", demo)
        yield


def test_examples_were_found() -> None:
    assert len(DOCTESTS) >= 40, [t.name for t in DOCTESTS]


@pytest.mark.parametrize("test", DOCTESTS, ids=lambda t: t.name)
def test_docstring_example(test: doctest.DocTest, demo_once: None) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    output: list[str] = []
    test.globs = dict(test.globs)  # each example starts from its module's names, unchanged by the others
    result = runner.run(test, out=output.append, clear_globs=True)
    assert result.failed == 0, "".join(output)


@pytest.mark.parametrize("name", vr.__all__)
def test_every_public_name_has_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(vr, name)) or ""
    assert re.search(r"^Examples\n--------\n", doc, re.MULTILINE), f"vr.{name} has no Examples section"
    assert ">>> " in doc.split("Examples\n--------\n", 1)[1]


def test_the_api_page_documents_every_public_name() -> None:
    page = (ROOT / "docs" / "api.rst").read_text()
    documented = set(
        re.findall(r"^\.\. auto(?:function|class|exception|module):: vipreport\.(\w+)", page, re.MULTILINE)
    )
    assert documented == set(vr.__all__), {
        "missing": set(vr.__all__) - documented,
        "extra": documented - set(vr.__all__),
    }


def test_every_notebook_is_on_the_docs_site() -> None:
    """The site renders docs/notebooks/*.ipynb, each a link to the notebook in notebooks/."""
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    linked = sorted(p.name for p in (ROOT / "docs" / "notebooks").glob("*.ipynb"))
    assert notebooks and linked == notebooks
    for name in linked:
        assert (ROOT / "docs" / "notebooks" / name).resolve() == (ROOT / "notebooks" / name).resolve()
