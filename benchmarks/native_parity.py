"""The comparison table of issue 17: real-world-shaped templates, native tool against scaffold.

For every case of tests/native_cases.py: render with the native tool (Copier's `run_copy`,
Cookiecutter's `cookiecutter()`) and with `scaffold new --template`, compare the trees (answers
files aside), then run the native update path on scaffold's result (plain `copier update` to a
new release; `cruft check`, then `cruft update` after a template commit). Prints a Markdown
table; exit 1 when a row differs or an update fails.

    python benchmarks/native_parity.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from gitrepo import IDENTITY
from native_cases import (
    CASES,
    Case,
    build_template,
    copier_answers,
    copier_update,
    cruft_round_trip,
    differences,
    render_native,
    render_scaffold,
    rendered_release,
    tree,
)


def row(case: Case, work: Path) -> tuple[list[str], bool]:
    template = build_template(case, work)
    native = render_native(case, template, work / "native")
    ours = work / "ours" / native.name
    ours.parent.mkdir()
    done = render_scaffold(case, template, ours)
    if done.returncode != 0:
        verdict, ok = f"no: scaffold failed ({done.stderr.strip()[:80]})", False
        return [case.shaped_like, case.features, verdict, "not run"], ok
    theirs, mine = tree(native), tree(ours)
    diff = differences(theirs, mine)
    release = rendered_release(mine)
    same = not diff and release == case.expect_release
    if case.kind == "copier":
        same = same and copier_answers(ours, case) == copier_answers(native, case)
    verdict = (
        f"yes: {len(mine)} files, release {release}"
        if same
        else f"no: {', '.join(diff[:3]) or f'release {release}'}"
    )
    try:
        if case.kind == "copier":
            updated = copier_update(case, template, ours)
            update = f"copier update: {updated}"
            ok = updated.startswith("updated to")
        else:
            result = cruft_round_trip(case, template, ours)
            update = result
            ok = result.startswith("cruft check passed")
    except Exception as exc:  # the report is the point: show what broke
        update, ok = f"FAILED: {type(exc).__name__}: {exc}"[:120], False
    return [f"{case.name} ({case.shaped_like})", case.features, verdict, update], same and ok


def main() -> int:
    os.environ.update(IDENTITY)
    rows, all_ok = [], True
    with tempfile.TemporaryDirectory(prefix="native-parity-") as tmp:
        os.environ["COPIER_CACHE_DIR"] = str(Path(tmp) / "copier-cache")
        os.environ["HOME"] = str(Path(tmp) / "home")
        for case in CASES:
            work = Path(tmp) / case.name
            work.mkdir()
            cells, ok = row(case, work)
            rows.append(cells)
            all_ok = all_ok and ok
    print("| template | features | native vs scaffold identical? | copier update / cruft check |")
    print("|---|---|---|---|")
    for cells in rows:
        print("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
