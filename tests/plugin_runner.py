"""Running pytest with the vipreport plugin from inside the tests (pytester)."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest


def plugin_args() -> list[str]:
    """``-p vipreport.pytest_plugin`` unless the installed wheel's entry point already loads it."""
    installed = any(e.value == "vipreport.pytest_plugin" for e in entry_points(group="pytest11"))
    return [] if installed else ["-p", "vipreport.pytest_plugin"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(*plugin_args(), "-p", "no:cacheprovider", *args)
