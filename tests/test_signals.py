"""SIGTERM and SIGHUP stop scaffold like Ctrl-C, and a SIGKILL's leftovers are cleaned next time.

Real processes and real signals: `scaffold new` renders a trusted template whose hook waits
(so the signal lands mid-render, deterministically: the test waits for the hook's file), or
a run is killed with SIGKILL between two steps of its writes. The next run must leave neither
staging folders nor half-replaced files behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_atomic import snapshot, user_folder
from test_external import cookiecutter_template, write

SCAFFOLD = str(Path(sys.executable).parent / "scaffold")


def waiting_template(root: Path, ready: Path) -> Path:
    """A trusted template whose pre-generation hook says where it is, then waits a minute."""
    template = cookiecutter_template(root)
    hook = (
        "import json, os, time\n"
        f"open({str(ready)!r}, 'w').write(json.dumps({{'pid': os.getpid(), "
        "'group': os.getpgid(0)}))\n"
        "time.sleep(60)\n"
    )
    return write(template, {"hooks/pre_gen_project.py": hook})


def wait_for(path: Path, seconds: float = 60) -> dict[str, int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text():
            return json.loads(path.read_text())
        time.sleep(0.1)
    raise AssertionError(f"{path} never appeared")


def gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie of ours is gone too
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        time.sleep(0.1)
    return False


def ours(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "scaffold-" in p.name)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_the_render_stops_cleanly(tmp_path: Path, signum: int) -> None:
    ready, scratch = tmp_path / "ready.json", tmp_path / "tmp"
    scratch.mkdir()
    template = waiting_template(tmp_path / "t", ready)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [SCAFFOLD, "new", "--template", str(template), "-o", str(out), "--trust"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    hook = wait_for(ready)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 128 + signum, stderr
    assert f"interrupted ({signal.Signals(signum).name})" in stderr
    assert "Traceback" not in stderr
    assert gone(hook["pid"]), "the template's hook outlived scaffold"
    assert not out.exists()
    assert ours(scratch) == [] and ours(tmp_path) == []


def test_a_killed_runs_folders_are_removed_by_the_next_run(tmp_path: Path) -> None:
    ready, scratch = tmp_path / "ready.json", tmp_path / "tmp"
    scratch.mkdir()
    template = waiting_template(tmp_path / "t", ready)
    env = {**os.environ, "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [SCAFFOLD, "new", "--template", str(template), "-o", str(tmp_path / "out"), "--trust"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    hook = wait_for(ready)
    process.kill()
    process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(hook["group"], signal.SIGKILL)  # the render, orphaned by SIGKILL
    left = ours(scratch)
    assert left and all(f"scaffold-{process.pid}-" in name for name in left)
    # folders of live processes, and of other hosts, are never touched
    alive = scratch / f"scaffold-{os.getpid()}-mine-abc"
    alive.mkdir()
    marker = {"pid": os.getpid(), "start": None, "host": socket.gethostname()}
    (alive / ".scaffold-owner.json").write_text(json.dumps(marker))
    elsewhere = scratch / f"scaffold-{process.pid}-remote-abc"
    elsewhere.mkdir()
    remote = {"pid": process.pid, "start": None, "host": "another-host"}
    (elsewhere / ".scaffold-owner.json").write_text(json.dumps(remote))

    done = subprocess.run(
        [SCAFFOLD, "new", "batch", "nightly-report", "--defaults", "--dry-run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert ours(scratch) == sorted([alive.name, elsewhere.name])


def killed_at_step(step: int, *args: str) -> subprocess.CompletedProcess[str]:
    """`scaffold ARGS` in a child process SIGKILLed before the `step`th step of its transaction
    (nothing can clean up after SIGKILL: the next run must)."""
    script = (
        "import os, signal, sys\n"
        "from generator.render import transaction\n"
        "steps = []\n"
        "def kill(kind, rel):\n"
        "    steps.append(rel)\n"
        f"    if len(steps) == {step}: os.kill(os.getpid(), signal.SIGKILL)\n"
        "transaction._before_step = kill\n"
        "sys.argv = ['scaffold', *sys.argv[1:]]\n"
        "from generator.cli import main\nmain()"
    )
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )


def test_a_run_killed_while_replacing_files_is_rolled_back_by_the_next_run(
    tmp_path: Path,
) -> None:
    dest = user_folder(tmp_path / "svc")
    before = snapshot(dest)
    # SIGKILL between two steps of a --force write
    killed = killed_at_step(30, "new", "batch", "nightly-report", "--defaults", "--force", "-o",
                            str(dest))  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert snapshot(dest) != before
    assert ours(dest)  # the staging folder, with the journal and the backups

    again = [SCAFFOLD, "new", "batch", "nightly-report", "--defaults", "--force", "-o", str(dest)]
    done = subprocess.run([*again, "--dry-run"], capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stderr
    assert snapshot(dest) == before  # every replaced file back, every new file gone
    assert ours(dest) == [] and ours(tmp_path) == []
    assert subprocess.run(again, capture_output=True, check=False).returncode == 0
