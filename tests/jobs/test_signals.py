"""A real `rolereport batch` stopped the ways a server stops it: SIGTERM, SIGHUP, Ctrl-C twice,
SIGKILL of the batch or of one worker. Afterwards: no rolereport process left, only complete
files, a manifest that matches them, and a rerun that builds exactly the people missing."""

from __future__ import annotations

import os
import signal
import time

import pytest

from jobs.procs import (
    TINY,
    complete_bundles,
    living,
    manifest_matches_disk,
    no_parts,
    none_left,
    roster,
    run,
    start,
    wait_for_line,
)

PEOPLE = [f"Person {i}" for i in range(10)]


def slugs(rows: list[dict[str, str]], status: str) -> set[str]:
    return {r["name"].lower().replace(" ", "-") for r in rows if r["status"] == status}


def everyone(people: list[str]) -> set[str]:
    return {p.lower().replace(" ", "-") for p in people}


def rerun_builds_exactly(out, roster_file, people: list[str], missing: set[str], *fmt: str) -> None:
    done = run(roster_file, "--source", TINY, "--out", out, "--jobs", "2", *fmt)
    assert done.returncode == 0, done.stderr
    rows = manifest_matches_disk(out)
    assert slugs(rows, "ok") == missing
    assert slugs(rows, "skipped") == everyone(people) - missing
    assert complete_bundles(out) == everyone(people)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_terminate_finishes_the_people_in_progress_and_starts_no_one(tmp_path, signum):
    people = roster(tmp_path / "r.csv", PEOPLE)
    out = tmp_path / "out"
    proc = start(people, "--source", TINY, "--out", out, "--format", "xlsx", "--jobs", "2", hook="pause:0.4")
    wait_for_line(proc, " ok ")
    os.kill(proc.pid, signum)  # the batch alone, as a supervisor would
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert f"stopping on {signal.Signals(signum).name}: finishing" in err and "to stop now" in err
    assert "Traceback" not in err
    assert not none_left(str(out), proc.pid)
    assert not no_parts(out)
    rows = manifest_matches_disk(out)
    assert {r["status"] for r in rows} == {"ok", "not-started"}  # nobody is 'failed' for being stopped
    built = slugs(rows, "ok")
    assert built == complete_bundles(out)
    assert all("interrupted" in r["error"] for r in rows if r["status"] == "not-started")
    rerun_builds_exactly(out, people, PEOPLE, everyone(PEOPLE) - built, "--format", "xlsx")


def test_second_ctrl_c_stops_at_once(tmp_path):
    people = roster(tmp_path / "r.csv", PEOPLE)
    out = tmp_path / "out"
    proc = start(people, "--source", TINY, "--out", out, "--format", "xlsx", "--jobs", "2", hook="pause:2")
    wait_for_line(proc, " ok ")
    os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "stopping: finishing 2 people in progress (Ctrl-C again to stop now)" in err
    assert "stopping now" in err
    assert not none_left(str(out), proc.pid)
    assert not no_parts(out)
    rows = manifest_matches_disk(out)
    # the two people in progress were stopped, not finished (each takes 2 s more)
    assert len(slugs(rows, "ok")) <= 2 and len(slugs(rows, "not-started")) >= 8
    assert slugs(rows, "ok") == complete_bundles(out)


def test_sigkill_of_the_batch_leaves_no_worker_and_only_complete_files(tmp_path):
    """Real PDFs: the batch is killed while its workers lay out guides."""
    names = PEOPLE[:6]
    people = roster(tmp_path / "r.csv", names)
    out = tmp_path / "out"
    proc = start(people, "--source", TINY, "--out", out, "--format", "pdf", "--jobs", "2")
    wait_for_line(proc, " ok ")
    workers = [pid for pid in living(str(out)) if pid != proc.pid]
    assert workers, "the batch runs its people in worker processes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=20)
    assert not none_left(str(out), proc.pid), "a worker outlived the batch"
    complete = complete_bundles(out)  # a killed write may leave a hidden .part, never a cut file
    assert complete and len(complete) < len(names)
    rerun_builds_exactly(out, people, names, everyone(names) - complete, "--format", "pdf")
    assert not no_parts(out), "the next run (holding the lock) removes what the killed one left"


def test_a_killed_worker_costs_no_one_their_bundle(tmp_path):
    people = roster(tmp_path / "r.csv", PEOPLE)
    out = tmp_path / "out"
    proc = start(people, "--source", TINY, "--out", out, "--format", "xlsx", "--jobs", "2", hook="pause:0.3")
    wait_for_line(proc, " ok ")
    worker = next(pid for pid in living(str(out)) if pid != proc.pid)
    os.kill(worker, signal.SIGKILL)  # as the out-of-memory killer would
    stdout, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, stdout + err  # its person was built again on a fresh worker
    rows = manifest_matches_disk(out)
    assert {r["status"] for r in rows} == {"ok"} and len(rows) == len(PEOPLE)
    assert not none_left(str(out), proc.pid)
