"""Published reports: reading them, auditing a set of them, reconciling one with a computed report."""

from .audit import audit
from .diff import diff
from .document import DocumentError, PublishedReport, parse_document, read_document, read_documents
from .reconcile import reconcile

__all__ = [
    "DocumentError",
    "PublishedReport",
    "audit",
    "diff",
    "parse_document",
    "read_document",
    "read_documents",
    "reconcile",
]
