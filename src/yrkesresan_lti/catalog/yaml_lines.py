"""Read YAML (or JSON) and remember the line of every mapping key and sequence item.

The loader follows YAML 1.2 habits where YAML 1.1 surprises catalog authors: ``13:00`` stays
text (not the sexagesimal number 780), ``no``/``on`` stay text, ``0755`` stays text.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from yrkesresan_lti.catalog.locations import Loc

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"


class CatalogYamlLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's sexagesimal numbers, octal and yes/no/on/off booleans."""


CatalogYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT, _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CatalogYamlLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
CatalogYamlLoader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
CatalogYamlLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


class CatalogYamlDumper(yaml.SafeDumper):
    """SafeDumper that quotes every text :class:`CatalogYamlLoader` would read as something
    else: YAML 1.1's resolvers miss ``-.5``, ``+.5`` and ``1.0e5``, which the loader's YAML
    1.2 floats take, so text written plain would come back a number."""


CatalogYamlDumper.yaml_implicit_resolvers = {
    first: list(resolvers) for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
for _first, _resolvers in CatalogYamlLoader.yaml_implicit_resolvers.items():
    CatalogYamlDumper.yaml_implicit_resolvers.setdefault(_first, []).extend(_resolvers)


class CatalogYamlError(yaml.MarkedYAMLError):
    """Raised for YAML that parses but cannot be a catalog (alias cycles, alias bombs)."""


LineIndex = dict[Loc, int]
"""Location inside one document -> 1-based line number."""


def load_with_lines(text: str) -> tuple[Any, LineIndex]:
    """Parse one YAML document; return its data and the line of every key and item.

    Raises :class:`yaml.YAMLError` (with ``problem_mark``) for broken YAML.
    """
    loader = CatalogYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _check_size(node)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    lines: LineIndex = {}
    _index(node, (), lines)
    return data, lines


MAX_NODES = 100_000
"""Largest document, counted with every alias expanded (guards against "billion laughs")."""


def _check_size(root: yaml.Node) -> None:
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise CatalogYamlError(
                problem="an alias refers to the node that contains it: remove the cycle",
                problem_mark=node.start_mark,
            )
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        open_nodes.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            raise CatalogYamlError(
                problem=f"the document expands to more than {MAX_NODES} values through "
                "anchors and aliases: write the repeated parts out or split the catalog",
                problem_mark=node.start_mark,
            )
        return total

    size(root)


def _index(node: yaml.Node, loc: Loc, lines: LineIndex) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*loc, str(key_node.value))
            lines[child] = key_node.start_mark.line + 1
            _index(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), lines)


def line_of(lines: LineIndex, loc: Loc) -> int | None:
    """The line of ``loc``, or of its nearest enclosing key or item that is in the file."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
