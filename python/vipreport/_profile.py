"""Checking a profile document: its JSON Schema, the messages, and the rules between keys.

The schema shipped in ``profiles/profile.schema.json`` is the one statement of
which keys a profile may have and what each holds. :func:`problems` runs it
with the ``jsonschema`` library and turns each failure into a short message
naming the dotted key (``engagement.window_days``) and what was expected, with
the closest valid key for a misspelt one. The rules that relate one key to
another (age bands that overlap, an alias to an unknown area) are beyond what a
schema says; :mod:`._profile_rules` checks those.

A profile document is the TOML file's data with its native dates written as
ISO strings (:func:`as_document`), so that the same schema also serves editors
and other tools that read the profile as JSON.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from .errors import VipReportError

if TYPE_CHECKING:  # pragma: no cover
    from jsonschema.exceptions import ValidationError as SchemaFailure

SCHEMA_FILE = "profiles/profile.schema.json"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a profile.

    ``key`` is the dotted key path (``age_groups[2].max``, array entries
    counted from 0), empty for a problem of the whole file. ``line`` and
    ``column`` are set when the file is not valid TOML.
    """

    key: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.key
        if self.line is not None:
            where = f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
        return f"{where}: {self.message}" if where else self.message


class ConfigError(VipReportError, ValueError):
    """A profile breaks one or more rules; ``problems`` lists every one, each naming its key.

    Examples
    --------
    >>> import vipreport as vr
    >>> try:
    ...     vr.Config.default().replace(engagement_window_days=-1)
    ... except vr.ConfigError as error:
    ...     print(error)
    replace(): engagement.window_days: expected an integer from 1 to 3650, got -1
    """

    def __init__(self, source: str, problems: Sequence[ConfigProblem], *, shown: int = 50) -> None:
        self.source = source
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = f"{source}: {self.problems[0]}"
        else:
            lines = [f"{source}: {len(self.problems)} problems in the profile:"]
            lines += [f"  - {p}" for p in self.problems[:shown]]
            if len(self.problems) > shown:
                lines.append(f"  ... and {len(self.problems) - shown} more (see .problems)")
            text = "\n".join(lines)
        super().__init__(text)

    def __reduce__(self) -> tuple[Any, ...]:  # Exception pickles .args, which is not our signature
        return (type(self), (self.source, self.problems))


@functools.cache
def schema_text() -> str:
    """The shipped JSON Schema of a profile, as the file's text."""
    return resources.files("vipreport").joinpath(SCHEMA_FILE).read_text("utf-8")


@functools.cache
def _schema() -> Mapping[str, Any]:
    schema: Mapping[str, Any] = json.loads(schema_text())
    return schema


def as_document(value: Any) -> Any:
    """The TOML data in the JSON data model: a TOML date becomes its ``YYYY-MM-DD`` string.

    TOML date-times and times are left as they are, so the schema reports them
    as the wrong type.
    """
    if isinstance(value, dict):
        return {k: as_document(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_document(v) for v in value]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


@functools.cache
def _validator() -> Any:
    import jsonschema  # on first use: `import vipreport` and Config.default() do not pay for it

    return jsonschema.Draft202012Validator(_schema(), format_checker=jsonschema.FormatChecker(formats=("date",)))


def problems(document: Any) -> list[ConfigProblem]:
    """Every way ``document`` breaks the schema, one problem per key, sorted by key."""
    found: dict[tuple[str, str], ConfigProblem] = {}
    for failure in _validator().iter_errors(document):
        for problem in _translate(failure):
            found.setdefault((problem.key, problem.message), problem)
    return sorted(found.values(), key=lambda p: p.key)


def key_path(parts: Iterable[str | int]) -> str:
    """``["areas", "aliases", "South East"]`` -> ``areas.aliases."South East"``; indices as ``[2]``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
            text += f".{name}" if text else name
    return text


def _translate(failure: SchemaFailure) -> Iterator[ConfigProblem]:
    path = list(failure.absolute_path)
    rule = failure.validator
    schema: Mapping[str, Any] = failure.schema if isinstance(failure.schema, Mapping) else {}
    instance: Any = failure.instance
    if rule == "additionalProperties":
        known = list(schema.get("properties", {}))
        for key in instance:
            if key not in known:
                yield ConfigProblem(key_path([*path, key]), _unknown(key, instance[key], known, path))
    elif rule == "required":
        required: Any = failure.validator_value
        for key in required:
            if key not in instance:
                expected = _expected(schema.get("properties", {}).get(key, {}))
                yield ConfigProblem(key_path([*path, key]), f"missing; expected {expected}")
    elif rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield ConfigProblem(key_path(path), f"expected {_expected(schema)}, got {instance}")
    elif rule == "type":
        yield ConfigProblem(key_path(path), f"expected {_expected(schema)}, got {_kind(instance)}")
    elif rule == "minItems":
        yield ConfigProblem(key_path(path), f"expected {_expected(schema)}, got an empty array")
    elif rule == "minLength":
        yield ConfigProblem(key_path(path), f"expected {_expected(schema)}, got an empty string")
    elif rule == "uniqueItems":
        yield ConfigProblem(key_path(path), "lists the same name more than once")
    elif rule in ("enum", "pattern", "format"):
        yield ConfigProblem(key_path(path), f"expected {_expected(schema)}")
    else:  # a rule the schema may gain later: name it rather than echo the value
        yield ConfigProblem(key_path(path), f"breaks the schema rule {rule!r}")


def _unknown(key: str, value: Any, known: list[str], path: list[str | int]) -> str:
    what = "unknown table" if isinstance(value, dict) else "unknown key"
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"{what}; did you mean {close[0]!r}?"
    # A key in the wrong table (a TOML key written under the wrong [header] lands there).
    elsewhere = difflib.get_close_matches(key, list(_all_keys()), n=1, cutoff=0.8)
    if elsewhere:
        return f"{what}; did you mean {' or '.join(_all_keys()[elsewhere[0]])}?"
    if len(known) <= 20:
        return f"{what}; valid keys here: {', '.join(known)}"
    return what


@functools.cache
def _all_keys() -> dict[str, tuple[str, ...]]:
    """Each key name in the schema -> the dotted paths where it may stand."""
    found: dict[str, list[str]] = {}

    def walk(schema: Mapping[str, Any], path: str) -> None:
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            walk(schema["items"], f"{path}[]")
        for name, sub in schema.get("properties", {}).items():
            dotted = f"{path}.{name}" if path else name
            found.setdefault(name, []).append(dotted)
            walk(sub, dotted)

    walk(_schema(), "")
    return {name: tuple(paths) for name, paths in found.items()}


def _expected(schema: Mapping[str, Any]) -> str:
    """What a subschema asks for, in words."""
    if "enum" in schema:
        return "one of " + " or ".join(json.dumps(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "integer" or kind == "number":
        noun = "an integer" if kind == "integer" else "a number"
        lo, hi = schema.get("minimum"), schema.get("maximum")
        xlo, xhi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if xlo is not None and xhi is not None:
            return f"{noun} between {xlo} and {xhi}"
        if lo is not None and hi is not None:
            return f"{noun} from {lo} to {hi}"
        if lo is not None:
            return f"{noun} of at least {lo}"
        return noun
    if kind == "string":
        if schema.get("format") == "date":
            return "a date written YYYY-MM-DD"
        return "a non-empty string" if schema.get("minLength") else "a string"
    if kind == "array":
        items = schema.get("items", {})
        if items.get("type") == "object":
            return "an array of tables" + (" (at least one)" if schema.get("minItems") else "")
        return "an array of strings" + (" (at least one)" if schema.get("minItems") else "")
    if kind == "object":
        values = schema.get("additionalProperties")
        return f"a table of {values['type']}s" if isinstance(values, dict) and "type" in values else "a table"
    return "a value the schema allows"


def _kind(value: Any) -> str:
    """The kind of a TOML value, in words (the value itself is not shown)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    return "a value of another kind"
