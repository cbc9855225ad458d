"""Deprecated name of :mod:`vipreport.suppression` (the small-number rules; "publication" said too little).

A package rather than a ``publication.py`` file, so that version control records ``publication.py`` as
renamed to ``suppression.py``.
"""

import warnings

from ..suppression import (
    SUPPRESSED,
    UNSTABLE,
    Cell,
    linked_suppression,
    primary_mask,
    suppression_mask,
    unstable,
)

__all__ = ["SUPPRESSED", "UNSTABLE", "Cell", "linked_suppression", "primary_mask", "suppression_mask", "unstable"]

warnings.warn(
    "vipreport.publication is deprecated: import the small-number rules from vipreport.suppression",
    DeprecationWarning,
    stacklevel=2,
)
