"""Sphinx configuration: the Markdown pages (myst-parser) and the API reference (autodoc + numpydoc).

``nox -s docs`` builds the site with ``-W`` (a warning is an error) into ``build/docs``:
``python -m sphinx -W -b html docs build/docs``. The package must be importable (installed, or
``python/`` on ``PYTHONPATH`` with a built core beside it).
"""

from __future__ import annotations

import argparse
import os

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import vipreport

project = "vipreport"
author = "The vipreport developers"
copyright = "the vipreport developers"
release = vipreport.__version__
version = release

# myst_nb reads the Markdown pages (it loads myst_parser) and executes the notebooks.
extensions = ["myst_nb", "sphinx.ext.autodoc", "numpydoc"]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build"]

# myst: headings get anchors so the pages' `#section` links resolve.
myst_heading_anchors = 3

# The notebooks (docs/notebooks/ links to notebooks/, where they are stored without outputs) run on
# every build, in a temporary folder; a cell that raises fails the build.
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_in_temp = True

# autodoc: members in source order; signatures keep the type hints, descriptions come from the docstrings.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True

# numpydoc: class members are listed by autodoc, not by a second autosummary table.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "alabaster"
# Wide enough for the notebooks' code and tables (the report's tables have up to 15 columns).
html_theme_options = {"page_width": "1200px", "sidebar_width": "240px"}
html_title = f"vipreport {release}"


class CommandHelp(SphinxDirective):
    """``{vipreport-help}``: the ``--help`` of ``vipreport`` and of each command, as this version prints it."""

    def run(self) -> list[nodes.Node]:
        from vipreport.cli import _parser

        parser = _parser()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
        out: list[nodes.Node] = []
        saved = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: the same width on every build
        try:
            for title, command in [("vipreport", parser), *((f"vipreport {n}", p) for n, p in commands.items())]:
                out.append(nodes.rubric(text=title))
                text = command.format_help()
                out.append(nodes.literal_block(text, text, language="text"))
        finally:
            if saved is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = saved
        return out


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_directive("vipreport-help", CommandHelp)
    return {"parallel_read_safe": True}
