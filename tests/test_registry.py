"""Service type plugins: a broken or clashing one is refused by name (exit 2), never skipped."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.errors import EXIT_BAD_INPUT, PluginError
from generator.spec import registry
from generator.spec.models import ServiceSpec

BATCH = registry.resolve_type("batch")


class ClashSpec(ServiceSpec):
    """A model with a field named like a derived value."""

    service_type: ClassVar[str] = "clash-service"
    budgets: int = 1


class OtherSpec(ServiceSpec):
    """A valid model under another name."""

    service_type: ClassVar[str] = "other-service"


NOT_A_TYPE = {"name": "dict-service"}
CLASH_FIELD = dataclasses.replace(BATCH, name="clash-service", alias="clash", model=ClashSpec)
CLASH_ALIAS = dataclasses.replace(BATCH, name="other-service", alias="batch", model=OtherSpec)
WRONG_MODEL = dataclasses.replace(BATCH, name="wrong-service", alias="wrong")


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Entry points (`value`s) to add beside the built-ins for one test."""
    values: list[str] = []
    real = registry.entry_points

    def plus(group: str) -> list[EntryPoint]:
        extra = [EntryPoint(f"plugin-{i}", v, group) for i, v in enumerate(values)]
        return [*real(group=group), *extra]

    monkeypatch.setattr(registry, "entry_points", plus)
    registry.all_types.cache_clear()
    yield values
    registry.all_types.cache_clear()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("no_such_module_anywhere:TYPE", "failed to load: ModuleNotFoundError"),
        (f"{__name__}:NOT_A_TYPE", "is a dict, not a generator.spec.plugin.ServiceType"),
        (f"{__name__}:CLASH_FIELD", "budgets are names of values scaffold derives"),
        (f"{__name__}:CLASH_ALIAS", "'batch' is already taken by 'batch-service'"),
        (f"{__name__}:WRONG_MODEL", "set service_type = 'wrong-service'"),
    ],
)
def test_a_broken_plugin_is_refused_by_name(installed: list[str], value: str, message: str) -> None:
    installed.append(value)
    with pytest.raises(PluginError, match=message):
        registry.all_types()
    result = CliRunner().invoke(app, ["types"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert message.split(":")[0] in result.output
    assert "Traceback" not in result.output


def test_the_built_in_types_come_through_the_entry_points(installed: list[str]) -> None:
    found = {e.name: e.value for e in registry.entry_points(group=registry.ENTRY_POINT_GROUP)}
    assert (
        found
        == registry.BUILTIN
        == {
            "web-service": "generator.service_types.web:TYPE",
            "batch-service": "generator.service_types.batch:TYPE",
            "event-service": "generator.service_types.event:TYPE",
        }
    )
    assert [t.name for t in registry.all_types()] == list(registry.BUILTIN)
