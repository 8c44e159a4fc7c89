"""rolereport benchmark: measured against what a user would otherwise run, in the same command.

Prints a table and writes JSON (default output/bench.json). Run with `make bench`.
Every figure is wall time on this machine in this run; ratios compare runs made here, now.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from phases import SOURCE, batch_phases, print_phases, roster_of

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}

RSS_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "took = time.perf_counter() - t\n"
    "print(f'@@ {took} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {code}', file=sys.stderr)\n"
)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and the peak RSS (KiB) of the largest process the command started."""
    proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *cmd], cwd=cwd, env=ENV,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = [x for x in proc.stderr.splitlines() if x.startswith("@@ ")][-1].split()
    if line[3] not in ("0",):
        raise SystemExit(f"benchmark command failed ({line[3]}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return float(line[1]), int(line[2])


def median_run(cmds: list[list[str]], repeat: int, cwd: Path | None = None) -> dict[str, float]:
    """Median over `repeat` rounds of running all `cmds` one after another."""
    return _summary([_round(cmds, cwd) for _ in range(repeat)])


def _round(cmds: list[list[str]], cwd: Path | None = None) -> tuple[float, int]:
    total, rss = 0.0, 0
    for cmd in cmds:
        took, peak = run(cmd, cwd)
        total += took
        rss = max(rss, peak)
    return total, rss


def _summary(rounds: list[tuple[float, int]]) -> dict[str, float]:
    times = [t for t, _ in rounds]
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": len(rounds),
            "peak_rss_mib": max(r for _, r in rounds) / 1024}


def interleaved(a: list[list[str]], b: list[list[str]], repeat: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both command sets, alternating round by round (and which goes first), after one untimed
    round each: whatever else the machine does affects both sides alike."""
    _round(a), _round(b)
    ra, rb = [], []
    for i in range(repeat):
        if i % 2:
            rb.append(_round(b))
            ra.append(_round(a))
        else:
            ra.append(_round(a))
            rb.append(_round(b))
    sa, sb = _summary(ra), dict[str, Any](_summary(rb))
    # each round's ratio b/a: how far one run of this command may stray on this machine
    ratios = sorted(y[0] / x[0] for x, y in zip(ra, rb, strict=True))
    sb["round_ratio_range"] = (ratios[len(ratios) // 4], ratios[(3 * len(ratios)) // 4])
    return sa, sb


NAIVE_XLSX = """
import sys
from openpyxl import Workbook
wb = Workbook()
ws = wb.active
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("|") and not line.startswith("|---"):
        ws.append([c.strip() for c in line.strip().strip("|").split("|")])
wb.save(sys.argv[2])
"""


def naive_commands(work: Path) -> list[list[str]]:
    """What a user would otherwise run for the three outputs (files go into `work`/naive)."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    naive = work / "naive"
    naive.mkdir()
    (naive / "xlsx.py").write_text(NAIVE_XLSX, encoding="utf-8")
    return [
        [pandoc, "-f", "markdown", "-s", "--metadata", "title=Guide", str(SOURCE), "-o", str(naive / "g.html")],
        [str(VENV_BIN / "weasyprint"), str(naive / "g.html"), str(naive / "g.pdf")],
        [pandoc, "-f", "markdown", str(SOURCE), "-o", str(naive / "g.docx")],
        [sys.executable, str(naive / "xlsx.py"), str(SOURCE), str(naive / "g.xlsx")],
    ]


def one_report(repeat: int, work: Path) -> dict[str, object]:
    baseline_cmds = naive_commands(work)
    ours_cmd = [[str(VENV_BIN / "rolereport"), "report", "--source", str(SOURCE), "--out", str(work / "ours"),
                 "--force"]]
    noop_cmd = [[str(VENV_BIN / "rolereport"), "report", "--source", str(SOURCE), "--out", str(work / "ours")]]
    baseline, ours = interleaved(baseline_cmds, ours_cmd, repeat)
    noop = median_run(noop_cmd, repeat)
    return {"baseline": baseline, "rolereport": ours, "unchanged_rerun": noop,
            "ratio": ours["median_s"] / baseline["median_s"]}


def _timed(out: dict[str, float], label: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call `fn`, record its wall time under `label`, return its result."""
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    out[label] = time.perf_counter() - t
    return result


def stages() -> dict[str, float]:
    """Where one report's time goes: fresh processes for start-up and imports, then each step
    inside this process after a cold start."""
    out: dict[str, float] = {}

    def fresh(label: str, code: str) -> None:
        _timed(out, label, subprocess.run, [sys.executable, "-c", code], env=ENV, check=True)

    fresh("interpreter start", "pass")
    fresh("start + import rolereport.cli", "import rolereport.cli")
    for mod in ("weasyprint", "openpyxl", "pydantic"):
        fresh(f"start + import {mod}", f"import {mod}")
    cached = "from rolereport.render.pdf import ffi_cache; ffi_cache.install(); import weasyprint"
    subprocess.run([sys.executable, "-c", cached], env=ENV, check=True)  # makes the cache entry
    fresh("start + import weasyprint (ffi_cache)", cached)
    fresh("start + PDF sidecar ready (import, fonts, warm-up)",
          "from rolereport.render.pdf.engine import Engine; Engine().warm_up()")

    from rolereport.jobs.report import make_report
    from rolereport.model import Profile
    from rolereport.render import docx, html, pdf, xlsx
    from rolereport.render.content import guide_markdown, handout_markdown
    from rolereport.render.context import Context
    from rolereport.render.markdown import convert
    from rolereport.sources import read_source

    ctx = _timed(out, "templates + theme", Context.create)
    guide, info = _timed(out, "extraction", read_source, SOURCE)
    profile = Profile(name="Bench Person", interests=("automation", "cloud"), strengths=("Kubernetes",))
    _timed(out, "fit (one profile, first call)", make_report, guide, info, profile)
    _timed(out, "fit (one profile, warm)", make_report, guide, info, profile)
    report = make_report(guide, info, None)
    md = _timed(out, "guide Markdown (Jinja)", guide_markdown, report, ctx)
    _timed(out, "pandoc Markdown → HTML", convert, md, "html5", ["--section-divs"])
    page = _timed(out, "guide HTML total (Jinja + pandoc + shell)", html.guide_html, report,
                  Context(ctx.theme, ctx.templates))
    from weasyprint import HTML

    _timed(out, "PDF renderer (first, incl. font set-up)", pdf.render, report, ctx)
    _timed(out, "PDF renderer (warm)", pdf.render, report, ctx)
    document = _timed(out, "WeasyPrint layout (plain, no fetcher)", HTML(string=page, base_url=str(ROOT)).render)
    _timed(out, "WeasyPrint PDF writing", document.write_pdf)
    _timed(out, "handout Markdown (Jinja)", handout_markdown, report, ctx)
    _timed(out, "DOCX renderer (Jinja + pandoc)", docx.render, report, ctx)
    _timed(out, "XLSX renderer", xlsx.render, report, ctx)
    return out


_FLOOR_CTX: dict[str, object] = {}


def _layout_one(page: str) -> float:
    """WeasyPrint's work for one guide, with the options rolereport uses (fonts, PDF/UA)."""
    from rolereport.render.pdf import pdf_from_page

    t = time.perf_counter()
    pdf_from_page(page, _FLOOR_CTX["ctx"])  # type: ignore[arg-type]
    return time.perf_counter() - t


def _warm(freeze: bool) -> None:
    from rolereport.render import pdf
    from rolereport.render.context import Context

    _FLOOR_CTX["ctx"] = Context.create()
    pdf.engine(_FLOOR_CTX["ctx"])  # type: ignore[arg-type]
    if freeze:  # as the batch workers do after loading
        gc.collect()
        gc.freeze()


def weasyprint_floor(pages: list[str], jobs: int, freeze: bool = True) -> float:
    """WeasyPrint alone laying out and writing the same guides, in `jobs` warm processes; with
    `freeze` they keep what they loaded out of the garbage collector, as the batch workers do."""
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm, initargs=(freeze,)) as pool:
        list(pool.map(_layout_one, pages[:jobs]))  # warm both workers
        t = time.perf_counter()
        list(pool.map(_layout_one, pages, chunksize=1))
        return time.perf_counter() - t


def batch(sizes: list[int], jobs_list: list[int], per_person_sample: int, work: Path) -> dict[str, object]:
    from rolereport.jobs.report import make_report
    from rolereport.render.context import Context
    from rolereport.render.html import print_page
    from rolereport.sources import read_source

    results: dict[str, object] = {}
    ctx = Context.create()
    guide, info = read_source(SOURCE)
    biggest = max(sizes)
    roster, people = roster_of(work, biggest)
    # the per-person alternative: `rolereport report --profile` once per person (a sample, extrapolated)
    sample_dir = work / "one-by-one"
    sample_dir.mkdir()
    sample_times = []
    for i in range(per_person_sample):
        prof = sample_dir / f"p{i}.json"
        prof.write_text(json.dumps(people[i].model_dump(exclude_none=True)), encoding="utf-8")
        took, _ = run([str(VENV_BIN / "rolereport"), "report", "--profile", str(prof), "--out",
                       str(sample_dir / "out")])
        sample_times.append(took)
    per_person = statistics.median(sample_times)
    results["one_by_one_per_person_s"] = per_person
    for size in sizes:
        sub = work / f"roster-{size}.csv"
        with roster.open(encoding="utf-8") as src, sub.open("w", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                if n <= size:
                    dst.write(line)
        pages = [print_page(make_report(guide, info, p), ctx) for p in people[:size]]
        for jobs in jobs_list:
            out = work / f"batch-{size}-{jobs}"
            took, rss = run([str(VENV_BIN / "rolereport"), "batch", str(sub), "--out", str(out), "--jobs",
                             str(jobs), "--plain"])
            floor = weasyprint_floor(pages, jobs)
            results[f"{size} people, --jobs {jobs}"] = {
                "wall_s": took, "per_person_s": took / size, "peak_rss_per_process_mib": rss / 1024,
                "weasyprint_alone_s": floor, "ratio_to_weasyprint": took / floor,
                "speedup_vs_one_by_one": per_person * size / took,
            }
            if size == biggest:  # the same floor without the collector tuning: plain WeasyPrint
                plain = weasyprint_floor(pages, jobs, freeze=False)
                results[f"{size} people, --jobs {jobs}"].update(
                    weasyprint_plain_s=plain, ratio_to_weasyprint_plain=took / plain)
    return results


def _noop(i: int) -> int:  # a task that does nothing: the scheduler's own cost
    return i


def dask_section(size: int, work: Path) -> dict[str, object]:
    """A LocalCluster against the local pool (same roster, same CLI), 2 workers against 1, and
    the per-person cost and scheduler overhead the README's scaling section is computed from."""
    from distributed import as_completed

    from rolereport.jobs.executors import Task, WorkerSpec
    from rolereport.jobs.executors.dask import DaskExecutor

    roster, people = roster_of(work, size)
    rr = str(VENV_BIN / "rolereport")
    results: dict[str, object] = {"people": size}
    runs = {"local pool, --jobs 2": ["--jobs", "2"], "dask local:2": ["--cluster", "local:2"],
            "dask local:1": ["--cluster", "local:1"]}
    for n, (label, extra) in enumerate(runs.items()):
        took, rss = run([rr, "batch", str(roster), "--out", str(work / f"dask-{n}"), "--plain", *extra])
        results[label] = {"wall_s": took, "per_person_s": took / size, "peak_rss_per_process_mib": rss / 1024}
    wall = {k: v["wall_s"] for k, v in results.items() if isinstance(v, dict)}
    results["ratio_dask2_to_pool2"] = wall["dask local:2"] / wall["local pool, --jobs 2"]  # target ≤ 1.15
    results["speedup_dask2_over_dask1"] = wall["dask local:1"] / wall["dask local:2"]  # target ≥ 1.8

    # In-process, on one worker: start-up, then each person's cost end to end (task, render, bytes back).
    spec = WorkerSpec(None, None, None, None, ("pdf", "docx", "xlsx"))
    t = time.perf_counter()
    ex = DaskExecutor(spec, workers=1, say=lambda _: None)
    results["startup_s"] = time.perf_counter() - t  # cluster, worker process, state loaded once
    try:
        sample = people[: min(size, 40)]
        t = time.perf_counter()
        for i, p in enumerate(sample):
            ex.submit(Task(f"p{i}", p, "bench"))
        got = 0
        while got < len(sample):
            got += len(ex.completed(1.0))
        results["per_task_s"] = (time.perf_counter() - t) / len(sample)
        # Scheduler overhead: tasks that do nothing, through the same scheduler and client.
        n = 2000
        t = time.perf_counter()
        futures = ex.client.map(_noop, range(n), pure=False)
        for _ in as_completed(futures, loop=ex.client.loop):
            pass
        results["scheduler_overhead_per_task_s"] = (time.perf_counter() - t) / n
        del futures
    finally:
        ex.close()
    return results


def extraction(n: int, work: Path) -> dict[str, float]:
    lines = ["Why look beyond Chief Widget Officer Toolkit", "Intro.", "Top alternatives ranked"]
    for i in range(1, n + 1):
        lines += ["-", f"{i}. Role {i} — Tagline {i}.", f"Description {i}.", "Best for:", f"- People {i}"]
    lines += ["Side-by-side", "| Role | Primary Focus | Key Responsibility | Tools | Deliverable |",
              "|---|---|---|---|---|", "| Chief Widget Officer | a | b | c | d |"]
    lines += [f"| Role {i} | F | R | T, U | D |" for i in range(1, n + 1)]
    lines += ["How to pick", "Pick.", *[f"- If {i}: Role {i} it is." for i in range(1, n + 1)]]
    page = work / f"page-{n}.txt"
    page.write_text("\n".join(lines), encoding="utf-8")
    took = median_run([[str(VENV_BIN / "rolereport"), "extract", str(page), "-o", str(work / "x.json")]], 5)
    from rolereport.sources import read_source

    t = time.perf_counter()
    read_source(page)
    return {"cli_median_s": took["median_s"], "in_process_s": time.perf_counter() - t,
            "peak_rss_mib": took["peak_rss_mib"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "output" / "bench.json"))
    parser.add_argument("--repeat", type=int, default=9, help="rounds for one report (median)")
    parser.add_argument("--sizes", default="50,200", help="batch sizes (comma-separated)")
    parser.add_argument("--jobs", default="1,2", help="batch --jobs values (comma-separated)")
    parser.add_argument("--sample", type=int, default=8, help="people run one by one to extrapolate from")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--only", choices=("dask",), help="run one section alone (dask: needs rolereport[dask])")
    parser.add_argument("--dask-size", type=int, default=200, help="people in the Dask section")
    parser.add_argument("--skip-dask", action="store_true", help="leave out the Dask section")
    args = parser.parse_args()
    result: dict[str, object] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                             "platform": platform.platform()}}
    with tempfile.TemporaryDirectory(prefix="rolereport-bench-") as tmp:
        work = Path(tmp)
        if args.only == "dask":
            print(f"dask: {args.dask_size} people …", flush=True)
            result["dask"] = dask_section(args.dask_size, work)
            return _finish(result, args.out)
        print("one report vs the naive route …", flush=True)
        result["one_report"] = one_report(args.repeat, work)
        print("where the time goes …", flush=True)
        result["stages_s"] = stages()
        result["batch_phases"] = batch_phases(20)  # CPU a person, by phase, in one batch worker
        print("extraction of 200 alternatives …", flush=True)
        result["extract_200"] = extraction(200, work)
        if not args.skip_batch:
            print("batch …", flush=True)
            result["batch"] = batch([int(s) for s in args.sizes.split(",")], [int(j) for j in args.jobs.split(",")],
                                    args.sample, work)
        if not args.skip_dask and importlib.util.find_spec("distributed") is not None:
            print(f"dask: {args.dask_size} people …", flush=True)
            result["dask"] = dask_section(args.dask_size, work)
    return _finish(result, args.out)


def _finish(result: dict[str, object], out: str) -> int:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    previous: dict[str, object] = {}
    if set(result) == {"machine", "dask"} and Path(out).is_file():  # --only dask: keep the other sections
        previous = json.loads(Path(out).read_text(encoding="utf-8"))
    result = {**previous, **result}
    Path(out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    report(result)
    print(f"\nwritten: {out}")
    return 0


def report(r: dict) -> None:
    if "one_report" in r:
        report_main(r)
    if "dask" in r:
        d = r["dask"]
        print(f"\n## Dask distributed, {d['people']} people (3 formats)")
        print(f"{'':24} {'wall s':>8} {'s/person':>9} {'MiB/proc':>9}")
        for k, v in d.items():
            if isinstance(v, dict):
                print(f"{k:24} {v['wall_s']:8.1f} {v['per_person_s']:9.3f} {v['peak_rss_per_process_mib']:9.0f}")
        print(f"dask local:2 / local pool --jobs 2: {d['ratio_dask2_to_pool2']:.2f}  (target ≤ 1.15)")
        print(f"dask local:1 / local:2: {d['speedup_dask2_over_dask1']:.2f}×  (target ≥ 1.8)")
        print(f"start-up (cluster + state once) {d['startup_s']:.1f} s; one person on one worker "
              f"{d['per_task_s']:.3f} s; scheduler overhead {d['scheduler_overhead_per_task_s'] * 1000:.2f} ms a task")


def report_main(r: dict) -> None:
    one = r["one_report"]
    print("\n## One report (3 formats, default source, fresh process)")
    print(f"{'':38} {'median s':>9} {'peak MiB':>9}")
    print(f"{'naive: pandoc+weasyprint+pandoc+openpyxl':38} {one['baseline']['median_s']:9.2f} "
          f"{one['baseline']['peak_rss_mib']:9.0f}")
    ours = one["rolereport"]
    print(f"{'rolereport report --force':38} {ours['median_s']:9.2f} {ours['peak_rss_mib']:9.0f}")
    print(f"{'rolereport report (nothing changed)':38} {one['unchanged_rerun']['median_s']:9.2f}")
    spread = ours.get("round_ratio_range")
    middle = f"; middle half of the rounds {spread[0]:.2f}–{spread[1]:.2f}" if spread else ""
    print(f"ratio rolereport / naive: {one['ratio']:.2f}  (target ≤ 0.9{middle})")
    print("\n## Where one report's time goes (s)")
    for k, v in r["stages_s"].items():
        print(f"  {k:44} {v:7.3f}")
    if "batch_phases" in r:
        print_phases(r["batch_phases"])
    e = r["extract_200"]
    print(f"\n## Extraction, 200 alternatives: CLI {e['cli_median_s']:.2f} s, in-process {e['in_process_s']:.3f} s, "
          f"peak {e['peak_rss_mib']:.0f} MiB")
    if "batch" in r:
        b = r["batch"]
        print(f"\n## Batch (one-by-one `rolereport report`: {b['one_by_one_per_person_s']:.2f} s a person)")
        print(f"{'':24} {'wall s':>8} {'s/person':>9} {'WP alone':>9} {'÷ WP':>6} {'speed-up':>9} {'MiB/proc':>9}")
        for k, v in b.items():
            if isinstance(v, dict):
                print(f"{k:24} {v['wall_s']:8.1f} {v['per_person_s']:9.3f} {v['weasyprint_alone_s']:9.1f} "
                      f"{v['ratio_to_weasyprint']:6.2f} {v['speedup_vs_one_by_one']:8.1f}× "
                      f"{v['peak_rss_per_process_mib']:9.0f}")
        for k, v in b.items():
            if isinstance(v, dict) and "weasyprint_plain_s" in v:
                print(f"{k}: WeasyPrint alone without the collector freeze {v['weasyprint_plain_s']:.1f} s, "
                      f"ratio {v['ratio_to_weasyprint_plain']:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
