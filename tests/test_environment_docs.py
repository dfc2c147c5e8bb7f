"""The generated docs describe the environments the service has, and no other.

With `environments=dev,prod` there is no staging: no column for it in infra/README.md, no drill
"in staging", no "Multi-AZ in staging and prod".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import generate, make_spec
from generator.verify import verify

TYPES = {"web": ["database=postgres"], "batch": [], "event": ["source=sns"]}
DOCS = ["docs/**/*.md", "infra/README.md", ".github/pull_request_template.md"]


# Every type for the case and for prod alone; the web type (the most conditional docs)
# for the other subsets.
CASES = [(subset, kind) for subset in ("dev,prod", "prod") for kind in TYPES] + [
    (subset, "web") for subset in ("staging,prod", "dev", "dev,staging")
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    root = tmp_path_factory.mktemp("envs")
    found = {}
    for subset, kind in CASES:
        spec = make_spec(kind, f"svc-{kind}", data=[*TYPES[kind], f"environments={subset}"])
        out = root / subset.replace(",", "-") / kind
        found[(subset, kind)] = Path(generate(spec, out).destination)
    return found


def doc_files(repo: Path) -> list[Path]:
    return sorted({p for pattern in DOCS for p in repo.glob(pattern)})


@pytest.mark.parametrize(("subset", "kind"), CASES, ids=[f"{s}-{k}" for s, k in CASES])
def test_docs_mention_only_the_environments_there_are(
    rendered: dict[tuple[str, str], Path], subset: str, kind: str
) -> None:
    repo = rendered[(subset, kind)]
    absent = [env for env in ("dev", "staging") if env not in subset.split(",")]
    mentions = [
        f"{path.relative_to(repo)}:{number}: {line.strip()[:120]}"
        for path in doc_files(repo)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for env in absent
        if re.search(rf"\b{env}\b", line.replace("/dev/null", ""), re.I)
    ]
    assert not mentions, "\n".join(mentions)
    readme = (repo / "infra" / "README.md").read_text()
    header = re.search(r"^\| \|((?: \w+ \|)+)$", readme, re.M)
    assert header and header[1].split("|")[:-1] == [f" {e} " for e in subset.split(",")]
    assert f"make deploy ENV={subset.split(',')[0]}\n" in readme  # the first deploy, from the first


def test_the_docs_still_lint_and_link(rendered: dict[tuple[str, str], Path]) -> None:
    report = verify(list(rendered.values()), only=["markdown"])
    failed = [f"{r.repo}: {r.reason}" for r in report.results if r.status != "passed"]
    assert not failed, "\n".join(failed)
