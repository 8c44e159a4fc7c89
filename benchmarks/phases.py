"""Where a batch person's time goes: one batch worker building people in this process, each phase's
CPU time (this process and the pandoc processes it waited for) measured around the functions
that do it. Used by bench.py ("where the time goes", batch) and runnable alone:

    .venv/bin/python benchmarks/phases.py --people 20

CPU seconds, not wall: on a loaded machine the wall clock counts other people's work too.
Each phase is exclusive: time in a phase nested inside another (pandoc inside the DOCX) is counted
in the inner one only.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "rolereport" / "data" / "ml-engineer-alternatives.txt"
# (phase, module, attribute): the functions a worker calls for each phase, looked up at call time
POINTS = (
    ("fit", "rolereport.jobs.report", "make_report"),
    ("guide HTML: shell, badges", "rolereport.render.pdf.document", "print_page"),
    ("characters check", "rolereport.render.pdf.glyphs", "check_report"),
    ("PDF layout + writing (WeasyPrint)", "rolereport.render.pdf.document", "pdf_from_page"),
    ("DOCX: AST, slots, finish", "rolereport.render.docx", "render"),
    ("XLSX", "rolereport.render.xlsx", "render"),
    ("templates (Jinja)", "rolereport.render.templating", "Templates.markdown_text"),
    ("pandoc", "rolereport.render.markdown", "run_pandoc"),
    ("pandoc session", "rolereport.system.pandoc_session", "convert"),
)


def _cpu() -> float:
    """This process's CPU seconds, those of the children it waited for, and its pandoc session's."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime + _session_cpu()


def _session_cpu() -> float:
    try:
        from rolereport.system import pandoc_session
    except ImportError:  # an older tree
        return 0.0
    return pandoc_session.cpu_seconds()


class Phases:
    """Exclusive CPU seconds and calls per phase, while `patched()` is active."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[Any]] = []  # [phase, start, time in nested phases]

    def wrap(self, phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            name = phase
            if phase == "pandoc":  # named for what it makes: its --to
                to = next((a.split("=", 1)[1] for a in args[0] if a.startswith("--to=")), "?")
                name = f"pandoc processes → {to}"
            elif phase == "pandoc session":
                name = f"pandoc session → {args[1]}"
            self._stack.append([name, _cpu(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                name, start, nested = self._stack.pop()
                took = _cpu() - start
                self.cpu[name] += took - nested
                self.calls[name] += 1
                if self._stack:
                    self._stack[-1][2] += took

        return timed

    @contextmanager
    def patched(self) -> Iterator[Phases]:
        import importlib

        undo = []
        for phase, module, attr in POINTS:
            try:
                owner: Any = importlib.import_module(module)
            except ImportError:  # a tree from before that module
                continue
            *path, name = attr.split(".")
            for part in path:
                owner = getattr(owner, part)
            original = owner.__dict__[name]
            undo.append((owner, name, original))
            setattr(owner, name, self.wrap(phase, original))
        try:
            yield self
        finally:
            for owner, name, original in reversed(undo):
                setattr(owner, name, original)


def roster_of(work: Path, size: int) -> tuple[Path, list[Any]]:
    """`size` people with varied interests, as a CSV roster and as profiles."""
    from rolereport.model import Profile

    words = ["automation", "statistics", "data pipelines", "APIs", "research", "cloud", "experiments",
             "databases", "reliability", "visualisation", "Kubernetes", "SQL", "deep learning"]
    path, people = work / f"roster-all-{size}.csv", []
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "interests", "strengths", "goals"])
        for i in range(size):
            interests = "; ".join(words[(i + k) % len(words)] for k in range(3))
            strengths = words[(i * 7) % len(words)]
            w.writerow([f"Person {i:04d}", interests, strengths, "Grow into a new role"])
            people.append(Profile(name=f"Person {i:04d}", interests=tuple(interests.split("; ")),
                                  strengths=(strengths,), goals="Grow into a new role"))
    return path, people


def batch_phases(people: int = 20, formats: tuple[str, ...] = ("pdf", "docx", "xlsx")) -> dict[str, Any]:
    """CPU seconds a person per phase, for `people` people of bench's roster built by one worker
    (`worker.setup` + `worker.build`, as the local pool runs them), after two to warm up."""
    from rolereport.jobs.executors import Task, WorkerSpec, worker

    with tempfile.TemporaryDirectory(prefix="rolereport-phases-") as tmp:
        _, roster = roster_of(Path(tmp), people + 2)
    state = worker.setup(WorkerSpec(str(SOURCE), None, None, None, formats))
    for p in roster[:2]:
        worker.build(state, Task("warm", p, ""))
    phases = Phases()
    start, wall = _cpu(), time.perf_counter()
    with phases.patched():
        for i, p in enumerate(roster[2:]):
            outcome = worker.build(state, Task(f"p{i}", p, ""))
            if outcome.error:
                raise SystemExit(f"person {i}: {outcome.error}")
    total = _cpu() - start
    per = {k: v / people for k, v in sorted(phases.cpu.items(), key=lambda kv: -kv[1])}
    per["rest (worker, report, bookkeeping)"] = total / people - sum(per.values())
    return {"people": people, "cpu_s_per_person": per, "total_cpu_s_per_person": total / people,
            "wall_s_per_person": (time.perf_counter() - wall) / people,
            "pandoc_processes_per_person": sum(n for k, n in phases.calls.items()
                                               if k.startswith("pandoc processes")) / people}


def print_phases(r: dict[str, Any]) -> None:
    print(f"\n## Where a batch person's time goes (CPU s a person, one worker, {r['people']} people)")
    for k, v in r["cpu_s_per_person"].items():
        if round(v, 3) == 0 and k.startswith("pandoc"):
            continue  # the way pandoc was not run this time
        print(f"  {k:44} {v:7.3f}")
    print(f"  {'total':44} {r['total_cpu_s_per_person']:7.3f}   (wall {r['wall_s_per_person']:.3f}; "
          f"{r['pandoc_processes_per_person']:.1f} pandoc processes a person)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--formats", default="pdf,docx,xlsx")
    args = parser.parse_args()
    print_phases(batch_phases(args.people, tuple(args.formats.split(","))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
