"""The variables the Terraform modules share: one source, copies in step, the name rule tied to
the spec model (`ServiceName`), for real: parsed from the modules' HCL and run on names."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from generator.errors import DataFileError
from generator.infra import hcl
from generator.infra import shared_variables as shared
from generator.resources import copy_template
from generator.samples import SHARED_VARIABLES, check_samples, regenerate_samples
from generator.spec import fields

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "terraform" / "modules"
# ecr's `name` is the repository name (<service>-<environment>, dots and slashes allowed), not
# the service name: the one module that does not take the shared service-name variable.
NOT_A_SERVICE_NAME = {"ecr"}
SERVICE_MODULES = sorted(
    p.parent.name for p in MODULES.glob("*/variables.tf") if p.parent.name not in NOT_A_SERVICE_NAME
)
_REGEX_ARG = re.compile(r'regex\("((?:[^"\\]|\\.)*)",\s*var\.name\)')
_LENGTH = re.compile(r"length\(var\.name\) (>=|<=) (\d+)")

# Names whose verdict rests on the pattern and the lengths alone: both sides must agree.
SHAPES = [
    "orders-api", "abd", "a1-b2", "report2", "a" * 24, "x" * 23 + "1",
    "a", "ab", "", "Orders", "orders-API", "-xy", "xy-", "a--b", "1abc", "a" * 25,
    "orders_api", "orders api", "orders.api", "ordérs", "orders-api\n", "x-1-",
]  # fmt: skip
# Names the spec model refuses for reasons Terraform cannot see (an environment as a part, a
# shadowed Python module): Terraform accepts them, so it must never be the stricter side.
SPEC_ONLY = ["orders-prod", "json", "abc", "typing"]


def _spec_accepts(name: str) -> bool:
    try:
        TypeAdapter(fields.ServiceName).validate_python(name)
    except ValidationError:
        return False
    return True


def _name_condition(module: str) -> str:
    variables = hcl.blocks(hcl.load(MODULES / module / "variables.tf"), "variable")
    (validation,) = variables["name"]["validation"]
    condition: str = validation["condition"]
    return condition


def _terraform_accepts(condition: str, name: str) -> bool:
    """`can(regex(p, name)) && length bounds`. Terraform's regex (RE2) searches, like re.search,
    and its `$` is the very end of the text (Python's `$` also matches before a final newline)."""
    pattern = json.loads(f'"{_REGEX_ARG.search(condition)[1]}"')  # type: ignore[index]
    pattern = re.sub(r"\$$", r"\\Z", pattern)
    bounds = {op: int(n) for op, n in _LENGTH.findall(condition)}
    return re.search(pattern, name) is not None and bounds[">="] <= len(name) <= bounds["<="]


def test_every_module_matches_the_one_source() -> None:
    expected = shared.expected_files(MODULES)
    assert len(expected) == len(list(MODULES.glob("*/variables.tf")))
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} drifted: regenerate"


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_the_name_variable_is_the_shared_one(module: str) -> None:
    text = (MODULES / module / "variables.tf").read_text(encoding="utf-8")
    assert {"name", "environment", "tags"} <= set(shared.region_names(text))


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_the_name_rule_is_the_spec_models(module: str) -> None:
    condition = _name_condition(module)
    pattern, low, high = shared.service_name_rule()
    regex = _REGEX_ARG.search(condition)
    assert regex is not None
    assert json.loads(f'"{regex[1]}"') == pattern
    assert pattern.startswith("^") and pattern.endswith("$")  # Terraform's regex() searches
    assert sorted(_LENGTH.findall(condition)) == [("<=", str(high)), (">=", str(low))]


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_terraform_and_the_spec_model_agree_on_names(module: str) -> None:
    condition = _name_condition(module)
    verdicts = {name: (_spec_accepts(name), _terraform_accepts(condition, name)) for name in SHAPES}
    assert {name: spec for name, (spec, _) in verdicts.items()} == {
        name: tf for name, (_, tf) in verdicts.items()
    }
    assert {spec for spec, _ in verdicts.values()} == {True, False}  # the list tests both ways
    for name in SPEC_ONLY:
        assert not _spec_accepts(name) and _terraform_accepts(condition, name)


def test_an_unanchored_regex_would_be_caught() -> None:
    loose = 'can(regex("[a-z][a-z0-9]*(-[a-z0-9]+)*", var.name)) && length(var.name) >= 3 && length(var.name) <= 24'  # noqa: E501
    assert _terraform_accepts(loose, "-orders-") != _spec_accepts("-orders-")


def test_changing_the_spec_pattern_changes_the_generated_hcl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = shared.render_region("kms", ["name", "environment"])
    stricter = Annotated[
        str, Field(json_schema_extra={"pattern": "^[a-z]+$", "minLength": 4, "maxLength": 20})
    ]
    monkeypatch.setattr(fields, "ServiceName", stricter)
    monkeypatch.setattr(fields, "ENVIRONMENTS", ("dev", "prod"))
    after = shared.render_region("kms", ["name", "environment"])
    assert after != before
    assert (
        'can(regex("^[a-z]+$", var.name)) && length(var.name) >= 4 && length(var.name) <= 20'
        in after
    )
    assert "(lower-case kebab-case, 4-20 characters)" in after
    assert 'contains(["dev", "prod"], var.environment)' in after
    assert any(text != p.read_text() for p, text in shared.expected_files(MODULES).items())


def test_hcl_strings_stay_literal() -> None:
    assert shared.hcl_string('a "b" ${c} %{d} \\e') == r'"a \"b\" $${c} %%{d} \\e"'


def _library(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(MODULES, root / "terraform" / "modules")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_hand_edit_inside_the_markers_is_reported_and_regenerated(tmp_path: Path) -> None:
    root = copy_template(REPO, tmp_path / "root")
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(REPO / "samples" / "batch.yml", samples)
    shutil.copytree(REPO / "samples" / "batch", samples / "batch")
    edited = root / "terraform" / "modules" / "batch-job" / "variables.tf"
    _edit(edited, "length(var.name) <= 24", "length(var.name) <= 30")

    report = check_samples(samples, root)
    item = next(item for item in report.items if item.name == SHARED_VARIABLES)
    assert not report.clean and item.status == "drift"
    assert [c.path for c in item.changes] == ["terraform/modules/batch-job/variables.tf"]
    assert "<= 30" in item.changes[0].diff

    regenerate_samples(samples, root)
    assert "length(var.name) <= 24" in edited.read_text(encoding="utf-8")
    assert check_samples(samples, root).clean


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("# END shared\n", "", "no matching"),
        ("# BEGIN shared: name environment", "# BEGIN shared: name colour", "no shared variable"),
        ("# BEGIN shared: kms_key_arn", "# BEGIN shared: tags", "NOTES has kms_key_arn"),
    ],
)
def test_broken_markers_are_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    root = _library(tmp_path)
    _edit(root / "terraform" / "modules" / "batch-job" / "variables.tf", old, new)
    with pytest.raises(DataFileError, match=message):
        shared.expected_files(root / "terraform" / "modules")


def test_an_unfinished_description_needs_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(shared.NOTES, "ecr", {})
    with pytest.raises(DataFileError, match="needs a note"):
        shared.render_region("ecr", ["kms_key_arn"], "ecr/variables.tf")


def test_a_jinja_delimiter_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(shared.NOTES, "kms", {"name": "Named {{ like this }}."})
    with pytest.raises(DataFileError, match="Jinja"):
        shared.render_variables_tf("kms", "# BEGIN shared: name (x)\n# END shared\n", "kms")
