"""The module library (terraform/modules): shape, formatting, parsing and checkov, for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.infra import hcl, skips
from generator.infra.checkov_scan import scan
from generator.infra.terraform import run_tests, unformatted, validate

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "terraform" / "modules"
MODULE_DIRS = sorted(p for p in MODULES.iterdir() if p.is_dir())
EXAMPLES = sorted(p for p in MODULES.glob("*/examples/*") if p.is_dir())
PROVIDER_CONSTRAINT = ">= 5.100, < 7.0"  # see docs/adr/0004
EXPECTED = {
    "kms",
    "network",
    "ecr",
    "web-service",
    "batch-job",
    "event-consumer",
    "database",
    "observability",
    "backup",
    "budget",
    "ci-oidc",
}


def parse(path: Path) -> dict:
    return hcl.load(path)


def test_the_library_has_every_module() -> None:
    assert {p.name for p in MODULE_DIRS} >= EXPECTED


@pytest.mark.parametrize("module", MODULE_DIRS, ids=lambda p: p.name)
def test_module_shape(module: Path) -> None:
    tf_files = {p.name for p in module.glob("*.tf")}
    assert tf_files == {"main.tf", "variables.tf", "outputs.tf", "versions.tf"}
    assert (module / "README.md").is_file()
    examples = [p for p in (module / "examples").iterdir() if p.is_dir()]
    assert examples, "every module has at least one example"
    versions = parse(module / "versions.tf")["terraform"][0]
    aws = versions["required_providers"][0]["aws"][0]
    assert aws["source"] == "hashicorp/aws" and aws["version"] == PROVIDER_CONSTRAINT
    assert versions["required_version"].startswith(">=")
    for block in parse(module / "variables.tf").get("variable", []):
        ((name, body),) = block.items()
        assert "type" in body and body.get("description"), f"{module.name}: var.{name}"
    for block in parse(module / "outputs.tf").get("output", []):
        ((name, body),) = block.items()
        assert body.get("description"), f"{module.name}: output {name}"


def test_every_file_parses() -> None:
    for path in MODULES.rglob("*.tf"):
        parse(path)


def test_terraform_fmt_is_clean() -> None:
    assert unformatted(MODULES) == []


def test_fmt_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" {\nname="x"\n}\n')
    assert unformatted(tmp_path) == ["main.tf"]


def test_validate_reports_a_missing_provider_as_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TF_PLUGIN_CACHE_DIR", raising=False)
    monkeypatch.delenv("SCAFFOLD_TF_PROVIDER_MIRROR", raising=False)
    result = validate(MODULES / "kms")
    assert result.status == "skipped"
    assert result.detail.startswith("skipped: provider unavailable")


def test_checkov_passes_every_module_through_its_examples() -> None:
    # each example is a root calling its module with real values: checkov evaluates the
    # module's resources through it (one process per example; see checkov_scan.scan)
    report = scan(EXAMPLES, relative_to=REPO)
    assert report.passed > 100
    assert report.failed == [], "\n".join(
        f"{f.check_id} {f.resource} {f.file}:{f.lines[0]}" for f in report.failed
    )
    listed = {(s.file, s.check) for s in skips.collect(MODULES)}
    for skipped in report.skipped:
        assert skipped.skip_reason, f"{skipped.check_id} on {skipped.resource} has no reason"
    assert listed, "the skips document lists the library's skips"


def test_checkov_can_fail_and_scans_every_folder(tmp_path: Path) -> None:
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(
            f'resource "aws_sqs_queue" "{name}" {{\n  name = "{name}"\n}}\n'
        )
    report = scan([tmp_path / "first", tmp_path / "second"])
    failed = {(f.check_id, f.resource, Path(f.file).parent.name) for f in report.failed}
    assert ("CKV_AWS_27", "aws_sqs_queue.first", "first") in failed
    assert ("CKV_AWS_27", "aws_sqs_queue.second", "second") in failed


def test_every_skip_is_listed_in_the_generated_document() -> None:
    doc = (REPO / skips.DOC_PATH).read_text(encoding="utf-8")
    assert doc == skips.render_doc(skips.collect(MODULES)), "run `scaffold samples regenerate`"
    for skip in skips.collect(MODULES):
        assert skip.reason, f"{skip.file}: {skip.check} needs a reason"


def test_an_unlisted_skip_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "m"
    module.mkdir()
    (module / "main.tf").write_text(
        'resource "aws_sqs_queue" "q" {\n  #checkov:skip=CKV_AWS_27:demo\n  name = "x"\n}\n'
    )
    found = skips.collect(tmp_path)
    assert [(s.block, s.check, s.reason) for s in found] == [
        ("aws_sqs_queue.q", "CKV_AWS_27", "demo")
    ]
    assert skips.render_doc(found) != skips.render_doc([])


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_terraform_validate_every_example(example: Path) -> None:
    result = validate(example, tree=MODULES)
    if result.status == "skipped":
        pytest.skip(result.detail)  # reported as skipped, never as passed
    assert result.status == "passed", result.detail


@pytest.mark.slow
@pytest.mark.parametrize(
    "module", [p for p in MODULE_DIRS if (p / "tests").is_dir()], ids=lambda p: p.name
)
def test_terraform_test_of_modules_with_tests(module: Path) -> None:
    result = run_tests(module, tree=MODULES)
    if result.status == "skipped":
        pytest.skip(result.detail)
    assert result.status == "passed", result.detail
