from __future__ import annotations

import pandas as pd
import pytest

import vipreport as vr

pytest_plugins = ["pytester"]  # the vipreport pytest plugin is tested by running pytest inside the tests


@pytest.fixture(scope="session")
def demo() -> vr.Dataset:
    return vr.datasets.demo()


@pytest.fixture(scope="session")
def demo_raw() -> dict[str, pd.DataFrame]:
    return vr.datasets.generate(seed=2024)


@pytest.fixture
def config() -> vr.Config:
    return vr.Config.default()
