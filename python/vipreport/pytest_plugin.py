"""pytest plugin: every published figure is a test item (docs/testing-your-numbers.md).

Installed with the wheel (a ``pytest11`` entry point) and inert until
``--vipreport-published`` is given::

    pytest --vipreport-published published/ --vipreport-data exports/

Each figure becomes one item, ``2024-11::vip.referrals_by_area[Southeast, FYTD]``,
so ``-k``, ``-x``, ``--junitxml`` and CI dashboards work as for any test. A
failing item names the figure, both values and the likely cause.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

OPTIONS = "vipreport"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup(OPTIONS, "vipreport: published figures as tests")
    group.addoption(
        "--vipreport-published",
        nargs="+",
        default=[],
        metavar="PATH",
        help="published-figures JSON files, or folders of them (records of build --record)",
    )
    group.addoption(
        "--vipreport-data",
        metavar="SOURCE",
        help="the exports to compute from: anything vipreport.load takes (a folder, a URL)",
    )
    group.addoption("--vipreport-config", metavar="TOML", help="the profile (default: Albuquerque)")
    group.addoption(
        "--vipreport-salt-env",
        metavar="VAR",
        help="environment variable holding the id salt used when the figures were built",
    )
    group.addoption(
        "--vipreport-as-of",
        metavar="YYYY-MM-DD",
        help="the date the exports were taken (default: a record's own, else the data's last record)",
    )
    group.addoption(
        "--vipreport-tolerance",
        type=float,
        default=0.0,
        metavar="X",
        help="largest difference accepted, in the figure's unit (default 0: exact)",
    )
    group.addoption(
        "--vipreport-expected",
        metavar="TOML",
        help="known restatements, marked as expected failures (default: vipreport-expected.toml "
        "in the current or the root folder, when it exists)",
    )


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect, so they apply to these items too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    paths = config.getoption("--vipreport-published")
    if not paths:
        return
    if not config.getoption("--vipreport-data"):
        raise pytest.UsageError("--vipreport-published needs --vipreport-data: the exports to compute from")
    from .published import read_document
    from .published.document import DocumentError

    files = sorted(_documents(paths))
    if not files:
        raise pytest.UsageError(f"--vipreport-published: no .json file in {', '.join(paths)}")
    try:
        docs = [read_document(f) for f in files]
    except DocumentError as exc:
        raise pytest.UsageError(str(exc)) from None
    context = _Context(config, docs)
    names: set[str] = set()
    for doc in docs:
        name = doc.report_month if doc.report_month not in names else f"{doc.report_month}-{Path(doc.name).stem}"
        names.add(name)
        report = PublishedReportCollector.from_parent(session, name=name, nodeid=name)
        report.doc, report.context = doc, context
        items.extend(report.collect())


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    context: _Context | None = config.stash.get(_CONTEXT, None)
    if context is None or not context.checked:
        return
    expected = len(context.expected)
    terminalreporter.write_line(
        f"vipreport: {context.checked} published figure(s) checked against {context.source}"
        + (f"; {expected} known restatement(s) listed in {context.expected_file}" if expected else "")
    )


class PublishedReportCollector(pytest.Collector):
    """One published report: its figures are the items."""

    doc: Any
    context: _Context

    def collect(self) -> list[pytest.Item]:
        from .published.diff import figures

        out: list[pytest.Item] = []
        for figure, published in figures(self.doc).items():
            item = PublishedFigure.from_parent(self, name=figure)
            item.figure, item.published = figure, published
            key = f"{self.doc.report_month}::{figure}"
            if key in self.context.expected:
                item.add_marker(
                    pytest.mark.xfail(reason=f"known restatement: {self.context.expected[key]}", strict=False)
                )
            out.append(item)
        return out


class PublishedFigure(pytest.Item):
    """One figure as printed, computed again from the exports."""

    figure: str
    published: float

    def runtest(self) -> None:
        parent = self.parent
        assert isinstance(parent, PublishedReportCollector)
        context, doc = parent.context, parent.doc
        context.checked += 1
        computed, note = context.computed(doc, self.figure)
        if note == "" and abs(computed - self.published) <= context.tolerance:
            return
        from .published.explain import explain

        reason = explain(doc, self.figure, note, disputed=context.disputed(), current=context.current())
        shown = "not computed" if note else _number(computed)
        raise FigureMismatch(
            f"{doc.report_month}::{self.figure}: published {_number(self.published)}, "
            f"computed {shown}"
            + ("" if note else f" (difference {computed - self.published:+g})")
            + f"\n  why: {reason}"
        )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, FigureMismatch):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path | str, int | None, str]:
        parent = self.parent
        assert isinstance(parent, PublishedReportCollector)
        return parent.doc.name or parent.doc.report_month, None, f"{parent.doc.report_month}::{self.figure}"


class FigureMismatch(AssertionError):
    """A published figure that the exports do not reproduce."""


_CONTEXT = pytest.StashKey["_Context"]()


class _Context:
    """The session's data, profile and reports, each computed once, on first use."""

    def __init__(self, config: pytest.Config, docs: list[Any]) -> None:
        from .published.explain import ExpectedError, read_expected

        self.source = str(config.getoption("--vipreport-data"))
        self.config_file = config.getoption("--vipreport-config")
        self.salt_env = config.getoption("--vipreport-salt-env")
        self.tolerance = float(config.getoption("--vipreport-tolerance"))
        self.as_of = config.getoption("--vipreport-as-of")
        given = config.getoption("--vipreport-expected")
        defaults = [
            Path(config.invocation_params.dir) / "vipreport-expected.toml",
            Path(config.rootpath) / "vipreport-expected.toml",
        ]
        self.expected_file = given or next((str(p) for p in defaults if p.is_file()), None)
        try:
            self.expected = read_expected(self.expected_file)
        except ExpectedError as exc:
            raise pytest.UsageError(str(exc)) from None
        self.checked = 0
        self._data: Any = None
        self._results: dict[str, Any] = {}
        self._docs = docs
        self._disputed: dict[str, str] | None = None
        self._current: Any = None
        config.stash[_CONTEXT] = self

    def data(self) -> Any:
        if self._data is None:
            import vipreport as vr

            profile = vr.Config.from_toml(self.config_file) if self.config_file else vr.Config.default()
            salt = None
            if self.salt_env:
                salt = os.environ.get(self.salt_env)
                if not salt:
                    raise pytest.UsageError(f"environment variable {self.salt_env} is not set or empty")
            self._data = vr.load(self.source, config=profile, salt=salt, progress=False)
        return self._data

    def computed(self, doc: Any, figure: str) -> tuple[float, str]:
        """The figure computed from the exports, or NaN with the reason it could not be."""
        import vipreport as vr
        from vipreport.errors import VipReportError

        key = doc.name or doc.report_month
        if key not in self._results:
            as_of = self.as_of or (doc.provenance or {}).get("data_as_of")
            try:
                report = vr.build_report(self.data(), doc.report_month, data_as_of=as_of)
                self._results[key] = vr.reconcile(report, doc).set_index("figure")
            except VipReportError as exc:
                self._results[key] = str(exc).splitlines()[0]
        result = self._results[key]
        if isinstance(result, str):
            return float("nan"), result
        row = result.loc[figure]
        return float(row["computed"]), str(row["note"])

    def disputed(self) -> dict[str, str]:
        if self._disputed is None:
            import vipreport as vr

            from .published.explain import disputed_tables

            self._disputed = disputed_tables(vr.audit(self._docs, config=self.data().config))
        return self._disputed

    def current(self) -> Any:
        if self._current is None:
            from .published.explain import Current

            data = self.data()
            self._current = Current.of(data, data.config)
        return self._current


def _documents(paths: list[str]) -> Iterator[Path]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from (p for p in path.glob("*.json") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise pytest.UsageError(f"--vipreport-published: {given} is neither a file nor a folder")


def _number(value: float) -> str:
    return f"{value:g}" if value == value else "NaN"
