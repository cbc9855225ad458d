"""The installed dependencies are the ones a test session claims to test.

CI's "newest" session sets VIPREPORT_EXPECT_NEWEST=1 (it must really run on
pandas 3 and numpy 2); the "oldest" session sets VIPREPORT_EXPECT_OLDEST=1 (it
must really run on the pins of .ci/constraints-oldest.txt). Without either, the
installed versions must still satisfy pyproject.toml's declared bounds.
"""

from __future__ import annotations

import os
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / ".ci" / "constraints-oldest.txt"


def _runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return [r for r in map(Requirement, project["dependencies"]) if r.marker is None or r.marker.evaluate()]


def _oldest_pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in CONSTRAINTS.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier  # one exact pin per line
        assert spec.operator == "==", f"{CONSTRAINTS.name}: {line!r} is not an exact pin"
        pins[canonicalize_name(requirement.name)] = Version(spec.version)
    return pins


def _lower_bound(requirement: Requirement) -> Version | None:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==", "~=")]
    return max(bounds) if bounds else None


def test_installed_runtime_dependencies_meet_the_declared_bounds() -> None:
    for requirement in _runtime_requirements():
        installed = Version(version(requirement.name))
        assert requirement.specifier.contains(installed, prereleases=True), (
            f"{requirement.name} {installed} does not satisfy {requirement}"
        )


def test_oldest_pins_are_the_declared_lower_bounds() -> None:
    # The lower bound pyproject states is the release series the oldest session tests,
    # e.g. numpy>=1.26 with numpy==1.26.4 pinned; an untested older bound fails here.
    pins = _oldest_pins()
    for requirement in _runtime_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} has no pin in {CONSTRAINTS.name}"
        bound = _lower_bound(requirement)
        assert bound is not None, f"{requirement} states no lower bound"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"pin {pins[name]} breaks {requirement}"
        assert pins[name].release[: len(bound.release)] == bound.release, (
            f"{requirement} but {CONSTRAINTS.name} tests {requirement.name}=={pins[name]}"
        )


@pytest.mark.skipif(os.environ.get("VIPREPORT_EXPECT_NEWEST") != "1", reason="not the newest-versions session")
def test_newest_session_runs_pandas_3_and_numpy_2() -> None:
    assert Version(version("pandas")).major >= 3, f"pandas {version('pandas')}"
    assert Version(version("numpy")).major >= 2, f"numpy {version('numpy')}"


@pytest.mark.skipif(os.environ.get("VIPREPORT_EXPECT_OLDEST") != "1", reason="not the oldest-versions session")
def test_oldest_session_runs_the_pinned_versions() -> None:
    pins = _oldest_pins()
    for requirement in _runtime_requirements():
        name = canonicalize_name(requirement.name)
        assert Version(version(requirement.name)) == pins[name], (
            f"{requirement.name} {version(requirement.name)} installed, {pins[name]} pinned"
        )
