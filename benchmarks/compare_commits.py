"""One report, several commits, the naive route: in the same command, round by round alternating.

On a machine whose speed drifts from minute to minute, two `make bench` runs cannot tell a
regression from the machine. This runs `rolereport report --force` as it is at each commit
(a detached worktree per commit, its `src` first on PYTHONPATH, this checkout's environment)
and the bench's naive route, rotating their order every round, and prints each one's median and
its ratio to the naive route.

    .venv/bin/python benchmarks/compare_commits.py --rounds 12 0689e5e HEAD
    (`.` means the working tree as it is)
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402


def _worktree(commit: str, into: Path) -> Path:
    if commit == ".":
        return bench.ROOT / "src"
    path = into / commit.replace("/", "_")
    subprocess.run(["git", "-C", str(bench.ROOT), "worktree", "add", "--detach", str(path), commit],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path / "src"


def _once(cmds: list[list[str]], src: Path | None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (children) of running `cmds` one after another."""
    env = dict(bench.ENV)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return time.perf_counter() - t, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commits", nargs="+", help="commits to compare ('.' = the working tree)")
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rolereport-compare-") as tmp:
        work = Path(tmp)
        trees: list[Path] = []
        try:
            src = str(bench.SOURCE)
            sets: dict[str, tuple[list[list[str]], Path | None]] = {"naive route": (bench.naive_commands(work), None)}
            for n, commit in enumerate(args.commits):
                tree = _worktree(commit, work)
                if commit != ".":
                    trees.append(tree.parent)
                sets[commit] = ([[str(bench.VENV_BIN / "rolereport"), "report", "--source", src,
                                  "--out", str(work / f"out-{n}"), "--force"]], tree)
            names = list(sets)
            for name in names:  # one untimed round each
                _once(*sets[name])
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
            for i in range(args.rounds):
                shift = i % len(names)
                for name in names[shift:] + names[:shift]:
                    runs[name].append(_once(*sets[name]))
            base = statistics.median(w for w, _ in runs["naive route"])
            print(f"{'':16} {'wall s':>8} {'CPU s':>7} {'÷ naive':>8}  ({args.rounds} rounds, medians)")
            for name in names:
                wall = statistics.median(w for w, _ in runs[name])
                cpu = statistics.median(c for _, c in runs[name])
                print(f"{name:16} {wall:8.3f} {cpu:7.3f} {wall / base:8.3f}")
        finally:
            for tree in trees:
                subprocess.run(["git", "-C", str(bench.ROOT), "worktree", "remove", "--force", str(tree)],
                               check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
