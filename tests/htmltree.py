"""A small element tree of an HTML page, built with the standard library's html.parser, for the HTML tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """This element and every element under it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def text(self) -> str:
        """The element's text with runs of white space made one space (style and script left out)."""
        parts: list[str] = []

        def walk(node: Element) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in ("style", "script"):
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def elements(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element)]

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(markup: str) -> Element:
    """The page as a tree; a mismatched end tag fails the test (the markup must be well nested)."""
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    assert builder.stack == [builder.root], f"unclosed elements: {[e.tag for e in builder.stack[1:]]}"
    return builder.root


def css_selectors(css: str) -> list[str]:
    """Every selector of a style sheet, those inside @media blocks included (comments are not used here)."""
    selectors: list[str] = []
    i = 0
    while True:
        start = css.find("{", i)
        if start < 0:
            return selectors
        prelude = css[i:start].strip()
        depth, j = 1, start + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        if prelude.startswith("@media"):
            selectors += css_selectors(css[start + 1 : j - 1])
        else:
            selectors += [s.strip() for s in prelude.split(",")]
        i = j
