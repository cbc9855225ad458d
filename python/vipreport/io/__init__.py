"""Reading and validating the record tables: :func:`load` and :class:`Dataset`."""

from ..schema import EVENT_DATE, TABLES
from .dataset import Dataset, day_numbers
from .load import load

__all__ = ["EVENT_DATE", "TABLES", "Dataset", "day_numbers", "load"]
