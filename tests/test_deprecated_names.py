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


def test_vipreport_publication_warns_and_gives_the_suppression_rules() -> None:
    import vipreport.suppression as moved

    sys.modules.pop("vipreport.publication", None)
    with pytest.warns(DeprecationWarning, match=r"vipreport\.suppression"):
        old = importlib.import_module("vipreport.publication")
    for name in old.__all__:
        assert getattr(old, name) is getattr(moved, name), name
    assert set(old.__all__) >= {"suppression_mask", "linked_suppression", "primary_mask", "unstable", "SUPPRESSED"}
