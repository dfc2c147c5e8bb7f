"""Bounds on the files scaffold reads for a user: answers, data files, template configuration.

A data file may be anything: `/dev/zero` (endless), a file of gigabytes, JSON nested a
hundred thousand levels deep, a number of five thousand digits, or YAML whose aliases expand
a few lines into a billion values ("billion laughs", which stays small in memory until
something walks it: a template render, a JSON dump). Every such file is read through here:
at most `MAX_FILE_BYTES`, parsed with the nesting and the alias expansion counted, and each
of those cases is one clear `DataFileError` (exit 2), not a hang, a crash or exit 70.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import yaml

from generator.errors import DataFileError

MAX_FILE_BYTES: Final = 1 << 20  # an answers file is a few kilobytes
MAX_VALUES: Final = 100_000  # values a YAML document may expand to, aliases counted at each use


def read_text(path: Path, what: str = "data file", limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of `path`, read no further than `limit` bytes (a pipe or device too)."""
    shown = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise DataFileError(f"{what} {shown!r} does not exist") from None
    except IsADirectoryError:
        raise DataFileError(f"{what} {shown!r} is a directory, not a file") from None
    except OSError as exc:
        raise DataFileError(f"{what} {shown!r} cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise DataFileError(
            f"{what} {shown!r} is larger than {limit >> 10} KiB; an answers file is a few "
            "kilobytes (is it the right file?)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{what} {shown!r} is not UTF-8 text: {exc}") from None


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values `root` stands for once every alias is expanded (stops past `limit`).

    Aliases make the node graph a DAG (or a cycle): sizes are memoised per node, so this is
    linear in the file, not in the expansion.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if children_done:
            active.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > limit:
                return sizes[key]
            continue
        if key in active:
            raise _Recursive
        active.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in active:
                raise _Recursive
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _Recursive(Exception):
    """A YAML alias refers to a collection that contains it."""


def load_yaml_documents(
    text: str, where: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader
) -> list[Any]:
    """Every document of `text` (safe YAML), refused when nested too deeply, recursive,
    expanding past `MAX_VALUES`, or holding a number too long to convert."""
    parser = loader(text)
    documents = []
    try:
        while parser.check_node():
            node = parser.get_node()
            if node is None:
                break
            size = _expanded_size(node, MAX_VALUES)
            if size > MAX_VALUES:
                raise DataFileError(
                    f"{where}: its aliases (&anchor / *alias) expand to more than {MAX_VALUES} "
                    "values; refused (a 'billion laughs' file)"
                )
            documents.append(parser.construct_document(node))
    except _Recursive:
        raise DataFileError(f"{where}: an alias refers to a collection containing it") from None
    except RecursionError:
        raise DataFileError(f"{where}: nested too deeply") from None
    except yaml.YAMLError as exc:
        detail = str(exc).replace("\n", " ")
        raise DataFileError(f"{where} is not valid YAML: {detail}") from None
    except ValueError as exc:  # int("9" * 5000): Python refuses such conversions
        raise DataFileError(f"{where} holds a value scaffold cannot read: {exc}") from None
    finally:
        parser.dispose()
    return documents


def load_yaml(text: str, where: str) -> Any:
    """One YAML document (or None), with the bounds of `load_yaml_documents`."""
    documents = load_yaml_documents(text, where)
    if len(documents) > 1:
        raise DataFileError(f"{where} holds {len(documents)} YAML documents; give one")
    return documents[0] if documents else None


def load_json(text: str, where: str) -> Any:
    """JSON, with nesting and number length errors as bad input."""
    try:
        return json.loads(text)
    except RecursionError:
        raise DataFileError(f"{where}: nested too deeply") from None
    except json.JSONDecodeError as exc:
        detail = str(exc).replace("\n", " ")
        raise DataFileError(f"{where} is not valid JSON: {detail}") from None
    except ValueError as exc:  # int("9" * 5000): Python refuses such conversions
        raise DataFileError(f"{where} holds a value scaffold cannot read: {exc}") from None


def load_data(path: Path, what: str = "data file") -> Any:
    """A YAML or JSON file (by its suffix), read and parsed within the bounds."""
    text = read_text(path, what)
    where = f"{what} {str(path)!r}"
    return load_json(text, where) if path.suffix == ".json" else load_yaml(text, where)
