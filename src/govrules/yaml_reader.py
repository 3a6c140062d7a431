"""Read YAML as plain data while remembering where every value stood: the one hardened reader of
every YAML input (rule packs, holiday-data files).

PyYAML's safe loader already refuses object-building tags, but it silently keeps the last of
two duplicate keys and forgets positions. So we compose the node tree (with the C parser when
present) and build the data ourselves: only the core tags, no anchors or aliases (they allow
exponential "billion laughs" documents), no duplicate keys, bounded nesting and value length,
and a map from each value's path to its line and column for error messages. The locations it
gives also carry the source line and the value's width, so that an error can show the line with
a caret under the value.

Problems are raised as ``YamlRefused``; each caller turns it into its own error type (a pack's
``PackError``, a holiday-data file's ``InputError``). The caller bounds the file's size before
reading it (``govrules.textfile.read_bytes``).
"""

from __future__ import annotations

import re
from typing import Any, Final

import yaml

from govrules.errors import SourceLocation, excerpt, shorten

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_SCALAR_CHARS: Final = 10_000
# Far deeper than any pack or year file; the builder recurses, so nesting must be bounded.
MAX_DEPTH: Final = 100
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
Path_ = tuple[int | str, ...]
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks, so line numbers agree


class YamlRefused(Exception):
    """Why a YAML text was refused; ``location`` is ``file:line:column`` (a ``SourceLocation``
    where the source line is known)."""

    def __init__(self, location: str, problem: str) -> None:
        self.location = location
        self.problem = problem
        super().__init__(f"{location}: {problem}")


class Positions:
    """Path -> (line, column), both 1-based, and a way to find the nearest known position."""

    def __init__(self, file: str, text: str = "") -> None:
        self.file = file
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.widths: dict[Path_, int] = {}  # how many characters of its line the value spans
        self.keys: dict[Path_, tuple[int, int, int]] = {}  # where each mapping key itself stands
        self.lines = _LINE_BREAK.split(text)

    def at(self, path: Path_) -> str:
        while path and path not in self.marks:
            path = path[:-1]
        if path not in self.marks:
            return f"{self.file}:1:1"
        line, col = self.marks[path]
        return self.location(line, col, self.widths.get(path, 1))

    def at_key(self, path: Path_) -> str:
        """The key of ``path`` (e.g. a misspelt key), falling back to its value's position."""
        if path in self.keys:
            return self.location(*self.keys[path])
        return self.at(path)

    def location(self, line: int, column: int, width: int = 1) -> str:
        """``file:line:column``, carrying the source line when it is known."""
        where = f"{self.file}:{line}:{column}"
        if not 1 <= line <= len(self.lines):
            return where
        return SourceLocation(where, self.lines[line - 1], column, width)

    def of_node(self, node: yaml.Node) -> str:
        return self.location(*_mark(node), self.width(node))

    def width(self, node: yaml.Node) -> int:
        """A value on one line spans to its end; a scalar running over several lines, to the end
        of its first line; a block mapping or sequence gets one caret at its start."""
        start, end = node.start_mark, node.end_mark
        if end.line == start.line:
            return end.column - start.column
        if isinstance(node, yaml.ScalarNode) and start.line < len(self.lines):
            return len(self.lines[start.line].rstrip()) - start.column
        return 1


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, positions: Positions, what: str) -> None:
        self.pos = positions
        self.what = what
        self.seen: set[int] = set()
        self.scalars = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, problem: str) -> YamlRefused:
        return YamlRefused(self.pos.of_node(node), problem)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, f"anchors and aliases are not allowed in {self.what}")
        self.seen.add(id(node))
        self.pos.marks[path] = _mark(node)
        self.pos.widths[path] = self.pos.width(node)
        plain = f"{self.what} is plain data"
        if isinstance(node, yaml.MappingNode):
            if node.tag != _CORE + "map":
                raise self.fail(node, f"the tag {shorten(node.tag)} is not allowed: {plain}")
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                # Keys are names: YAML 1.1 would read `on:` or `yes:` as booleans, so a plain
                # scalar key is taken as its literal text.
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                    raise self.fail(key_node, "mapping keys must be plain strings")
                key = key_node.value
                if key in out:
                    raise self.fail(key_node, f"duplicate key {excerpt(key)}")
                self.pos.keys[path + (key,)] = (*_mark(key_node), self.pos.width(key_node))
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _CORE + "seq":
                raise self.fail(node, f"the tag {shorten(node.tag)} is not allowed: {plain}")
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, f"the tag {shorten(node.tag)} is not allowed: {plain}")
        if len(node.value) > MAX_SCALAR_CHARS:
            raise self.fail(node, f"a value of {len(node.value)} characters; the limit is {MAX_SCALAR_CHARS}")
        try:
            return self.scalars.construct_object(node)
        except ValueError as exc:  # a timestamp that is no day of the calendar, e.g. 2027-02-30
            raise self.fail(node, f"not valid YAML: {exc}") from None


def read_yaml_text(name: str, text: str, what: str) -> tuple[Any, Positions]:
    """Parse one YAML document into plain data plus the positions of its values.

    ``what`` names the kind of document in messages, e.g. "a pack". Raises ``YamlRefused``.
    """
    positions = Positions(name, text)
    try:
        # Scan the events first: an alias bomb is refused at its first anchor, before any tree
        # is built, and so is nesting too deep for the builder.
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                mark, end = event.start_mark, event.end_mark
                width = end.column - mark.column if mark and end and end.line == mark.line else 1
                where = positions.location(mark.line + 1, mark.column + 1, width) if mark else f"{name}:1:1"
                raise YamlRefused(where, f"anchors and aliases are not allowed in {what}")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    where = positions.location(mark.line + 1, mark.column + 1) if mark else f"{name}:1:1"
                    raise YamlRefused(where, f"nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = positions.location(mark.line + 1, mark.column + 1) if mark else f"{name}:1:1"
        raise YamlRefused(where, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlRefused(f"{name}:1:1", f"not valid YAML: {exc}") from None
    if node is None:
        raise YamlRefused(f"{name}:1:1", "the file is empty")
    return _Builder(positions, what).build(node, ()), positions
