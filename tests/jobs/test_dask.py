"""Batch on Dask distributed: a real LocalCluster of worker processes on this machine."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

import dask  # noqa: E402
from distributed import Client, LocalCluster, WorkerPlugin  # noqa: E402

from conftest import FIXTURES  # noqa: E402


def manifest_rows(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def roster(tmp_path: Path, *names: str) -> Path:
    path = tmp_path / "staff.csv"
    lines = ["name,interests,strengths"] + [f"{n},automation; statistics,SQL" for n in names]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_cluster(workers: int, **kwargs) -> LocalCluster:
    # As the README tells operators to start a scheduler: a dead worker's person is retried once.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                          "distributed.scheduler.worker-saturation": 1.0}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                            **kwargs)


@pytest.fixture(scope="module", autouse=True)
def _no_dask_thread_left():
    """Dask keeps one idle thread per process once used ('Dask-Offload'); the suite's later tests
    check that a forked PDF sidecar is safe, which needs this process to have no other thread."""
    yield
    from concurrent.futures import ThreadPoolExecutor

    from distributed import utils

    pool = getattr(utils, "_offload_executor", None)
    if isinstance(pool, ThreadPoolExecutor):
        pool.shutdown(wait=True)
        utils._offload_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="Dask-Offload")
    import threading

    assert threading.active_count() == 1, [t.name for t in threading.enumerate()]


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, shared by the tests that point --scheduler at it."""
    with start_cluster(2) as c, Client(c) as client:
        yield c, client


class KillWhenBuilding(WorkerPlugin):
    """SIGKILLs the worker process the moment it starts building `slug`: once (when `marker` is a
    file path, created on the first kill) or on every attempt."""

    def __init__(self, slug: str, marker: str | None = None) -> None:
        self.slug, self.marker = slug, marker

    def setup(self, worker) -> None:  # type: ignore[no-untyped-def]
        self.pid = os.getpid()

    def transition(self, key, start, finish, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if finish != "executing" or not str(key).endswith("-" + self.slug):
            return
        if self.marker is not None:
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.write(fd, str(self.pid).encode())
            os.close(fd)
        os.kill(self.pid, signal.SIGKILL)


@pytest.fixture
def killer(cluster):
    _, client = cluster
    names = []

    def register(plugin: WorkerPlugin) -> None:
        name = f"kill-{len(names)}"
        client.register_plugin(plugin, name=name)
        names.append(name)

    yield register
    for name in names:
        client.unregister_worker_plugin(name)
    c, _ = cluster
    try:  # the nannies' replacements are back before the next test
        client.wait_for_workers(2, timeout=120)
    except TimeoutError:  # a nanny that gave up (seen once on an overloaded machine): start afresh
        c.scale(0)
        c.scale(2)
        client.wait_for_workers(2, timeout=120)


def test_same_bytes_as_the_local_batch(cli, tmp_path):
    people = roster(tmp_path, "Ann Example", "Bo Example")
    local, spread = tmp_path / "local", tmp_path / "dask"
    assert cli("batch", people, "--out", local, "--jobs", "2", "--plain")[0] == 0
    code, _, err = cli("batch", people, "--out", spread, "--cluster", "local:2", "--plain")
    assert code == 0, err
    assert "running on a local cluster of 2 worker processes" in err
    files = sorted(p.relative_to(local) for p in local.glob("*/*") if p.suffix in (".pdf", ".docx", ".xlsx"))
    assert len(files) == 6
    for rel in files:
        assert (spread / rel).read_bytes() == (local / rel).read_bytes(), rel
    rows = {r["slug"]: r for r in manifest_rows(spread)}
    assert {r["status"] for r in rows.values()} == {"ok"}
    from openpyxl import load_workbook

    assert "Bo Example" in str(load_workbook(spread / rows["bo-example"]["xlsx_file"])["Roles"]["A1"].value)



def test_a_library_gives_each_person_their_page_on_dask_as_locally(cli, tmp_path, cluster):
    """Each task names its page; the workers parse each page once and keep it by its hash."""
    library = FIXTURES / "library" / "pages"
    people = tmp_path / "staff.csv"
    people.write_text("name,current_role,interests\nAnn Example,Sr. Data Scientist,statistics\n"
                      "Bo Example,ML Engineer,automation\nCy Example,Data Scientist II,dashboards\n", encoding="utf-8")
    local, spread = tmp_path / "local", tmp_path / "dask"
    args = ("batch", people, "--sources", library, "--format", "xlsx,html", "--plain")
    assert cli(*args, "--out", local, "--jobs", "2")[0] == 0
    c, _ = cluster
    code, _, err = cli(*args, "--out", spread, "--scheduler", c.scheduler_address)
    assert code == 0, err
    rows = {r["name"]: r["page"] for r in manifest_rows(spread)}
    ds, ml = "data/data-scientist.docx", "engineering/machine-learning-engineer.txt"
    assert rows == {"Ann Example": ds, "Bo Example": ml, "Cy Example": ds}
    for rel in sorted(p.relative_to(local) for p in local.glob("*/*.xlsx")):
        assert (spread / rel).read_bytes() == (local / rel).read_bytes(), rel


def test_resume_builds_only_what_is_missing(cli, tmp_path, cluster):
    c, _ = cluster
    people = roster(tmp_path, "Ann Example", "Bo Example", "Cy Example")
    out = tmp_path / "out"
    run = ("batch", people, "--out", out, "--scheduler", c.scheduler_address, "--format", "xlsx", "--plain")
    assert cli(*run)[0] == 0
    first = (out / "bo-example" / "role-matrix.xlsx").read_bytes()
    (out / "bo-example" / "role-matrix.xlsx").unlink()  # as if the run had been stopped before Bo
    kept = (out / "ann-example" / "role-matrix.xlsx").stat().st_mtime_ns
    code, stdout, err = cli(*run)
    assert code == 0, err
    status = {r["slug"]: r["status"] for r in manifest_rows(out)}
    assert status == {"ann-example": "skipped", "bo-example": "ok", "cy-example": "skipped"}
    assert "1 built, 2 up to date" in stdout
    assert (out / "ann-example" / "role-matrix.xlsx").stat().st_mtime_ns == kept
    assert (out / "bo-example" / "role-matrix.xlsx").read_bytes() == first


def test_a_worker_killed_mid_person_costs_no_one(cli, tmp_path, cluster, killer):
    c, _ = cluster
    marker = tmp_path / "killed"
    killer(KillWhenBuilding("di-example", str(marker)))
    people = roster(tmp_path, "Ann Example", "Bo Example", "Cy Example", "Di Example", "Ed Example")
    out = tmp_path / "out"
    code, _, err = cli("batch", people, "--out", out, "--scheduler", c.scheduler_address,
                       "--format", "xlsx", "--plain")
    assert marker.is_file(), "the worker was not killed"
    assert code == 0, err
    rows = manifest_rows(out)
    assert [r["status"] for r in rows] == ["ok"] * 5  # the person in progress was built elsewhere
    from openpyxl import load_workbook

    assert "Di Example" in str(load_workbook(out / "di-example" / "role-matrix.xlsx")["Roles"]["A1"].value)


def test_a_person_who_kills_every_worker_fails_alone(cli, tmp_path, cluster, killer):
    c, _ = cluster
    killer(KillWhenBuilding("bo-example"))
    people = roster(tmp_path, "Ann Example", "Bo Example", "Cy Example", "Di Example")
    out = tmp_path / "out"
    code, _, _ = cli("batch", people, "--out", out, "--scheduler", c.scheduler_address,
                     "--format", "xlsx", "--plain")
    assert code == 1
    rows = {r["slug"] or r["input"]: r for r in manifest_rows(out)}
    bad = next(r for r in rows.values() if r["name"] == "Bo Example")
    assert bad["status"] == "failed" and "crashed" in bad["error"] and "2 times" in bad["error"]
    assert not (out / "bo-example" / "role-matrix.xlsx").exists()
    assert sorted(r["status"] for r in rows.values()) == ["failed", "ok", "ok", "ok"]


def test_a_bad_profile_is_isolated(cli, tmp_path, cluster):
    c, _ = cluster
    # one row the parent refuses, one person whose render fails on the worker, two fine
    templates = tmp_path / "templates" / "content"
    templates.mkdir(parents=True)
    (templates / "_profile_summary.md.j2").write_text(
        "{% if 'Breaks' in profile.name %}{{ profile.no_such_field }}{% endif %}\nSummary.\n", encoding="utf-8")
    people = tmp_path / "staff.csv"
    people.write_text("name,interests\nAnn Example,data\n,statistics\nBreaks Render,apis\nCy Example,cloud\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    code, _, _ = cli("batch", people, "--out", out, "--scheduler", c.scheduler_address, "--format", "html",
                     "--templates", tmp_path / "templates", "--plain")
    assert code == 1
    rows = manifest_rows(out)
    by_input = {r["input"].rsplit(" ", 1)[-1]: r for r in rows}
    assert by_input["3"]["status"] == by_input["4"]["status"] == "failed"
    assert "no_such_field" in by_input["4"]["error"]
    assert by_input["2"]["status"] == by_input["5"]["status"] == "ok"
    assert "Cy Example" in (out / "cy-example" / "career-guide.html").read_text(encoding="utf-8")


def test_writing_on_the_workers_gives_the_same_files(cli, tmp_path, cluster):
    c, _ = cluster
    people = roster(tmp_path, "Ann Example", "Bo Example")
    a, b = tmp_path / "client-writes", tmp_path / "workers-write"
    for out, extra in ((a, ()), (b, ("--write-on", "workers"))):
        code, _, err = cli("batch", people, "--out", out, "--scheduler", c.scheduler_address,
                           "--format", "xlsx", "--format", "docx", "--plain", *extra)
        assert code == 0, err
    ra, rb = manifest_rows(a), manifest_rows(b)
    assert [r["xlsx_sha256"] for r in ra] == [r["xlsx_sha256"] for r in rb]
    for r in rb:
        assert (b / r["docx_file"]).read_bytes() == (a / r["docx_file"]).read_bytes()
    code, stdout, _ = cli("batch", people, "--out", b, "--scheduler", c.scheduler_address,
                          "--format", "xlsx", "--format", "docx", "--plain", "--write-on", "workers")
    assert code == 0 and "2 up to date" in stdout


def test_a_source_that_fails_on_the_workers_is_reported_once(cli, tmp_path):
    # Workers without pandoc cannot read an HTML source the client read fine.
    with start_cluster(1, env={"PYPANDOC_PANDOC": str(tmp_path / "no-pandoc")}) as c:
        people = roster(tmp_path, "Ann Example", "Bo Example", "Cy Example")
        out = tmp_path / "out"
        code, stdout, err = cli("batch", people, "--source", FIXTURES / "pages" / "registered-nurse.html",
                                "--out", out, "--scheduler", c.scheduler_address, "--format", "xlsx", "--plain")
    assert code == 2
    problems = [line for line in err.splitlines() if line.strip() and ": warning: " not in line]
    assert len(problems) == 1, err
    assert "registered-nurse.html" in problems[0] and "workers" in problems[0]
    assert not any(p.is_dir() for p in out.glob("*"))  # no one was built


def test_time_limit_is_kept_inside_the_task(cli, tmp_path, cluster, monkeypatch):
    c, _ = cluster
    monkeypatch.setenv("ROLEREPORT_RENDER_TIMEOUT", "0.01")
    people = roster(tmp_path, "Ann Example", "Bo Example")
    out = tmp_path / "out"
    code, _, _ = cli("batch", people, "--out", out, "--scheduler", c.scheduler_address, "--format", "pdf",
                     "--plain")
    assert code == 1
    rows = manifest_rows(out)
    assert [r["status"] for r in rows] == ["failed", "failed"]
    assert all("longer than the limit of 0.01 s per person" in r["error"] for r in rows)


def test_no_scheduler_is_a_clear_error_not_a_hang(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEREPORT_DASK_TIMEOUT", "1")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = cli("batch", roster(tmp_path, "Ann Example"), "--out", tmp_path / "o",
                       "--scheduler", f"tcp://127.0.0.1:{port}", "--plain")
    assert code == 2
    assert f"tcp://127.0.0.1:{port}" in err and "no Dask scheduler answered within 1 s" in err
    assert "Traceback" not in err


def test_cluster_option_is_checked(cli, tmp_path, capsys):
    code, _, err = cli("batch", roster(tmp_path, "Ann Example"), "--out", tmp_path / "o", "--cluster", "local:x")
    assert code == 2 and "'local:x'" in err
    assert not (tmp_path / "o").exists()


def test_a_cluster_without_workers_is_a_clear_error_not_a_hang(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEREPORT_DASK_TIMEOUT", "1")
    with start_cluster(0) as c:
        code, _, err = cli("batch", roster(tmp_path, "Ann Example"), "--out", tmp_path / "o",
                           "--scheduler", c.scheduler_address, "--format", "xlsx", "--plain")
    assert code == 2
    assert "no Dask worker for 1 s while 1 people wait" in err and "dask worker" in err


def _dask_cli(*args: str) -> list[str]:
    code = f"import sys; from distributed.cli.dask_{args[0]} import main; sys.exit(main())"
    return [sys.executable, "-c", code, *args[1:]]


def test_a_lost_scheduler_stops_the_batch_once_and_the_manifest_says_so(cli, tmp_path, monkeypatch):
    """A scheduler and a worker started as an operator would (dask scheduler, dask worker), the
    scheduler killed while the batch runs."""
    monkeypatch.setenv("ROLEREPORT_DASK_TIMEOUT", "10")
    info = tmp_path / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    sched = subprocess.Popen(_dask_cli("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                       "--scheduler-file", str(info)), env=env, stderr=subprocess.DEVNULL)
    worker = None
    try:
        for _ in range(300):
            if info.is_file() and info.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        worker = subprocess.Popen(_dask_cli("worker", address, "--nthreads", "1", "--no-dashboard",
                                            "--death-timeout", "5"), env=env, stderr=subprocess.DEVNULL)
        with Client(address, timeout=60) as client:
            client.wait_for_workers(1, timeout=120)
        out = tmp_path / "out"

        def kill_scheduler_after_the_first_person() -> None:
            for _ in range(1200):
                if list(out.glob("*/.rolereport-inputs.json")):
                    sched.kill()
                    return
                time.sleep(0.05)

        watcher = threading.Thread(target=kill_scheduler_after_the_first_person, daemon=True)
        watcher.start()
        names = [f"Person {chr(65 + i)}" for i in range(8)]
        code, _, err = cli("batch", roster(tmp_path, *names), "--out", out, "--scheduler", address,
                           "--format", "xlsx", "--plain")
        watcher.join(timeout=5)
    finally:
        for proc in (worker, sched):
            if proc is not None:
                proc.kill()
                proc.wait(timeout=30)
    assert code == 2
    assert "lost the connection to the Dask scheduler" in err and err.count("lost the connection") == 1
    assert "dashboard" not in err  # --no-dashboard (and no bokeh): no address that leads nowhere
    rows = manifest_rows(out)
    statuses = [r["status"] for r in rows]
    assert "ok" in statuses and "not-started" in statuses and set(statuses) <= {"ok", "not-started"}
    for r in rows:
        if r["status"] == "ok":
            assert (out / r["xlsx_file"]).is_file()


def test_ctrl_c_lets_the_people_in_progress_finish_and_writes_the_manifest(tmp_path):
    people = roster(tmp_path, *[f"Person {chr(65 + i)}" for i in range(12)])
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "rolereport", "batch", str(people), "--out", str(out), "--cluster", "local:2",
           "--format", "docx", "--plain"]  # DOCX: pandoc runs under the people in progress
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
    assert proc.stdout is not None
    for line in proc.stdout:  # the first person built, then Ctrl-C to the whole terminal group
        if " ok " in line:
            break
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "finishing" in err and "Traceback" not in err
    statuses = [r["status"] for r in manifest_rows(out)]
    assert "ok" in statuses and "not-started" in statuses
    assert set(statuses) <= {"ok", "not-started"}  # no one in progress failed: the workers finished them
    assert not list(out.rglob("*.part"))
