"""Old public names still work for one release, and say where the code went."""

import importlib
import sys

import pytest


def test_vipreport_testing_warns_and_gives_the_moved_reconstruct() -> None:
    from vipreport.published import reconstruct as moved

    sys.modules.pop("vipreport.testing", None)
    with pytest.warns(DeprecationWarning, match=r"vipreport\.published\.reconstruct"):
        old = importlib.import_module("vipreport.testing")
    assert old.reconstruct is moved.reconstruct
    assert old.ReconstructionError is moved.ReconstructionError
