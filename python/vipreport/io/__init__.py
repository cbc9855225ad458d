"""Reading and validating the record tables: :func:`load` and :class:`Dataset`."""

from .dataset import Dataset, day_numbers
from .load import load
from .schema import EVENT_DATE, TABLES

__all__ = ["EVENT_DATE", "TABLES", "Dataset", "day_numbers", "load"]
