"""Deprecated name of :mod:`vipreport.published.reconstruct` (it rebuilds records; it is not a test helper)."""

import warnings

from .published.reconstruct import ReconstructionError, reconstruct

__all__ = ["ReconstructionError", "reconstruct"]

warnings.warn(
    "vipreport.testing is deprecated: import reconstruct from vipreport.published.reconstruct",
    DeprecationWarning,
    stacklevel=2,
)
