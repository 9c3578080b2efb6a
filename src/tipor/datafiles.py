"""The one YAML reader for tipor's data files and users' input files.

PyYAML's ``safe_load`` silently keeps the last of two equal keys, so a reviewer who adds a
corrected rule above an old one can leave the old one in force without noticing. Every YAML file
tipor reads (catalogue, jurisdictions, translations, aftercare schedules, screening and
fact-pattern input) goes through :func:`load_yaml`, which refuses duplicate keys and names the
line.
"""

from __future__ import annotations

from typing import Any

import yaml


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys in any mapping."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, str | int | bool | float):
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}: keep one of the two entries",
                    key_node.start_mark)
            seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load_yaml(text: str | bytes) -> Any:
    """Parse YAML safely, refusing duplicate keys; raises ``yaml.YAMLError`` naming the line."""
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
