"""Measure a library of pages (`make bench` runs it; the figures go on the performance page):

    .venv/bin/python benchmarks/library.py index [N]        # index N pages (default 100), cold then warm
    .venv/bin/python benchmarks/library.py batch [PEOPLE]   # PEOPLE over 5 pages vs over 1 (default 200)
    .venv/bin/python benchmarks/library.py matching         # the title threshold: right vs wrong scores

`index` writes N pages of distinct roles, a quarter each as page-family text, a site's HTML, and
that HTML saved by LibreOffice as DOCX and as PDF, then times `Library.load` with an empty cache and
again with the cache it left. `batch` builds the same people once over one page and
once over a library of 5 pages of the same size (each person's role picks theirs; the one page is a
library of one, so both guides carry the library's lines), and prints the
CPU seconds per person of each (the batch's own process and its workers).
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
BUNDLED = ROOT / "src" / "rolereport" / "data" / "ml-engineer-alternatives.txt"
WORDS = ("Alpine Basin Cedar Delta Ember Fjord Granite Harbour Iris Juniper Kestrel Lagoon Meadow Nimbus Orchid "
         "Prairie Quartz Ridge Summit Tundra Umber Valley Willow Xenon Yarrow Zephyr").split()


def variant(guide: dict, name: str) -> dict:
    """The guide with its own role renamed (title, table row), everything else unchanged."""
    old = guide["subject"]["name"]
    text = json.dumps(guide).replace(old, name)
    return json.loads(text)


def role_name(i: int) -> str:
    return f"{WORDS[i % len(WORDS)]} {WORDS[(i // len(WORDS)) % len(WORDS)]} Engineer"


def make_pages(folder: Path, n: int) -> None:
    from make_page_fixtures import family_text, site_html

    from rolereport.sources import read_source

    base = read_source(BUNDLED)[0].contract()
    html_for_office = []
    for i in range(n):
        guide = variant(base, role_name(i))
        kind = ("text", "html", "docx", "pdf")[i % 4]
        sub = folder / kind
        sub.mkdir(parents=True, exist_ok=True)
        if kind == "text":
            (sub / f"page-{i}.txt").write_text(family_text(guide), encoding="utf-8")
        else:
            path = (sub if kind == "html" else folder / f".staged-{kind}") / f"page-{i}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(site_html(guide, "ul-numbered"), encoding="utf-8")
            if kind != "html":
                html_for_office.append((path, kind))
    for kind in ("docx", "pdf"):
        staged = [str(p) for p, k in html_for_office if k == kind]
        if staged:
            target = {"docx": "docx:MS Word 2007 XML", "pdf": "pdf"}[kind]
            subprocess.run(["soffice", "-env:UserInstallation=file:///tmp/lo-measure", "--headless",
                            "--infilter=HTML (StarWriter)", "--convert-to", target, "--outdir", str(folder / kind),
                            *staged], check=True, capture_output=True, timeout=900)
            shutil.rmtree(folder / f".staged-{kind}")


def cmd_index(n: int) -> None:
    from rolereport import notices
    from rolereport.sources.library import Library

    work = Path(tempfile.mkdtemp(prefix="library-measure-"))
    make_pages(work / "pages", n)
    os.environ["ROLEREPORT_CACHE_DIR"] = str(work / "cache")
    for label in ("cold (empty cache)", "warm (unchanged library)"):
        start, cpu = time.perf_counter(), cpu_self() + cpu_children()
        with notices.collect():
            lib = Library.load(work / "pages")
        took, cpu = time.perf_counter() - start, cpu_self() + cpu_children() - cpu
        print(f"index {n} pages, {label}: {took:.2f} s wall, {cpu:.2f} s CPU (load {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores); {len(lib.pages)} readable, "
              f"{len(lib.unreadable)} unreadable, {len(lib.duplicates)} duplicate roles")
    shutil.rmtree(work)


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_batch(args: list[str]) -> tuple[float, float]:
    before, start = cpu_children(), time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "rolereport"), "batch", *args, "--plain", "--jobs", "2"],
                   check=True, capture_output=True)
    return cpu_children() - before, time.perf_counter() - start


def cmd_batch(people: int) -> None:
    from make_page_fixtures import family_text

    from rolereport.sources import read_source

    work = Path(tempfile.mkdtemp(prefix="library-batch-"))
    base = read_source(BUNDLED)[0].contract()
    (work / "pages").mkdir()
    roles = [role_name(i) for i in range(5)]
    for role in roles:
        (work / "pages" / f"{role.lower().replace(' ', '-')}.txt").write_text(family_text(variant(base, role)),
                                                                            encoding="utf-8")
    one = work / "one-page"  # a library of that one page: the same code path and the same guides' text
    one.mkdir()
    shutil.copyfile(work / "pages" / f"{roles[0].lower().replace(' ', '-')}.txt", one / "page.txt")
    interests = ["data pipelines; data quality", "automation; CI/CD", "statistics; experiments", "APIs; databases",
                 "research; AI algorithms"]
    for name, spread in (("one.csv", 1), ("five.csv", 5)):
        with (work / name).open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["name", "current_role", "interests", "goals"])
            for i in range(people):
                w.writerow([f"Person {i:04d}", roles[i % spread], interests[i % len(interests)], "grow"])
    os.environ["ROLEREPORT_CACHE_DIR"] = str(work / "cache")
    results = {}
    for label, args in (("1 page ", [str(work / "one.csv"), "--sources", str(one)]),
                        ("5 pages", [str(work / "five.csv"), "--sources", str(work / "pages")])):
        cpu, wall = run_batch([*args, "--out", str(work / label.strip().replace(" ", "-"))])
        results[label] = cpu / people
        print(f"{people} people over {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, {cpu / people:.3f} s CPU a person")
    a, b = results["1 page "], results["5 pages"]
    print(f"per-person cost, 5 pages vs 1: {100 * (b - a) / a:+.1f} %")
    shutil.rmtree(work)


def cmd_matching() -> None:
    """Scores of titles as HR systems write them against the right role and against the others."""
    from rolereport.sources.roles import THRESHOLD, score

    roles = ["Machine Learning Engineer", "Data Scientist", "Site Reliability Engineer", "Registered Nurse",
             "Nurse Practitioner", "Head Chef", "Community Pharmacist", "Data Engineer", "Backend Engineer",
             "Product Manager", "Accountant", "Software Engineer", "Teacher", "Paralegal", "Store Manager",
             "Social Worker", "Financial Analyst (FP&A)", "DevOps Engineer", "AI Engineer", "Nurse Educator"]
    right = {
        "Sr. Data Scientist": "Data Scientist", "Data Scientist II": "Data Scientist",
        "Lead Data Scientist": "Data Scientist", "Data Scienist": "Data Scientist",
        "ML Engineer": "Machine Learning Engineer", "MLE": "Machine Learning Engineer",
        "Senior ML Eng.": "Machine Learning Engineer", "Machine-Learning Engineer III": "Machine Learning Engineer",
        "Site Reliability Engineer": "Site Reliability Engineer", "SRE": "Site Reliability Engineer",
        "Staff SRE": "Site Reliability Engineer", "RN, ICU": "Registered Nurse", "R.N.": "Registered Nurse",
        "Registered Nurse - Night Shift": "Registered Nurse", "NP": "Nurse Practitioner",
        "Principal Nurse Practitioner": "Nurse Practitioner", "Head Chef": "Head Chef",
        "Community Pharmacist III": "Community Pharmacist", "Sr Data Engineer": "Data Engineer",
        "Backend Engineer II": "Backend Engineer", "Software Engineer (Backend)": "Backend Engineer",
        "Sr. Product Manager": "Product Manager", "PM": "Product Manager", "Accountant II": "Accountant",
        "SWE": "Software Engineer", "Senior Software Engineer": "Software Engineer",
        "DevOps Eng": "DevOps Engineer", "FP&A Analyst": "Financial Analyst (FP&A)",
        "Store Mgr": "Store Manager", "Lead Teacher": "Teacher",
    }
    lows, highs = [], []
    for title, role in right.items():
        good = score(title, role)
        lows.append((good, title, role))
        for other in roles:
            if other != role:
                highs.append((score(title, other), title, other))
    for title in ("Engineer", "Data Analyst", "Sous Chef", "Nurse", "Backend Developer", "Pharmacist",
                  "Analyst", "Manager", "Engineering Manager", "Chef de Partie", "Software Developer"):
        highs.extend((score(title, r), title, r) for r in roles)
    lows.sort()
    highs.sort(reverse=True)
    print(f"threshold {THRESHOLD}: right role, lowest scores: "
          + "; ".join(f"{t!r}->{r!r} {s}" for s, t, r in lows[:5]))
    print("wrong role, highest scores: " + "; ".join(f"{t!r}->{r!r} {s}" for s, t, r in highs[:6]))
    print(f"right below threshold: {sum(s < THRESHOLD for s, _, _ in lows)} of {len(lows)}; "
          f"wrong at or above: {sum(s >= THRESHOLD for s, _, _ in highs)} of {len(highs)}")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "matching"
    if what == "index":
        cmd_index(int(sys.argv[2]) if len(sys.argv) > 2 else 100)
    elif what == "batch":
        cmd_batch(int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    else:
        cmd_matching()
