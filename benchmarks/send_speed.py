"""How long `rolereport send --send` takes for N people to a local SMTP server (default 500).

    .venv/bin/python benchmarks/send_speed.py [--people 500] [--attach pdf]

Builds a batch folder of N people whose files have the size of real ones (an 80 KB guide, with
the person's name in its title as the batch writes it) — or, with `--like DIR`, copies of the real
guides a batch wrote into DIR, repeated under new folders and addresses until there are N people
(a tagged guide costs more to check than a simple PDF) — starts aiosmtpd in a process of its own
on 127.0.0.1 (port chosen by the OS), and times the whole `rolereport send` command in a
subprocess, as HR would run it. Not part of the test suite: it measures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
FLOOR = """
import smtplib, sys, time
from pathlib import Path
data = [p.read_bytes() for p in sorted(Path(sys.argv[2]).glob("*.eml"))]
started = time.perf_counter()
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as smtp:
    for i, msg in enumerate(data):
        smtp.sendmail("hr@example.com", [f"person{i:04d}@example.com"], msg)
print(f"{time.perf_counter() - started:.2f}")
"""
SERVER = """
import asyncio, sys
from aiosmtpd.controller import Controller
class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"
c = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.read()
print(Count.n, flush=True)
c.stop()
"""


def _document(fmt: str, name: str, size: int) -> bytes:
    if fmt == "pdf":
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Title": f"Career guide — {name}"})
        writer.add_attachment("padding.bin", os.urandom(size))  # incompressible, like fonts and images
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue()
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/'
                    f'elements/1.1/"><dc:title>Handout — {name}</dc:title></cp:coreProperties>')
        zf.writestr("padding.bin", os.urandom(size))
    return buf.getvalue()


def build(folder: Path, people: int, formats: tuple[str, ...]) -> None:
    from rolereport.jobs import manifest
    from rolereport.jobs.manifest import ManifestRow

    names = {"pdf": "career-guide.pdf", "docx": "role-handout.docx", "xlsx": "role-matrix.xlsx"}
    sizes = {"pdf": 80_000, "docx": 16_000, "xlsx": 19_000}
    rows = []
    for i in range(people):
        name, slug = f"Person {i:04d}", f"person-{i:04d}"
        (folder / slug).mkdir(parents=True)
        files = {}
        for fmt in formats:
            data = _document(fmt, name, sizes[fmt])
            (folder / slug / names[fmt]).write_bytes(data)
            files[fmt] = (names[fmt], len(data), hashlib.sha256(data).hexdigest())
        rows.append(ManifestRow(name=name, email=f"person{i:04d}@example.com", slug=slug, status="ok", files=files))
    manifest.write_manifest(folder, rows, formats)


def replicate(real: Path, folder: Path, people: int, formats: tuple[str, ...]) -> None:
    """N people made of the real batch in `real`: each a copy of one real person's files and stamp
    (their name, so titles still name them) under a new folder and address."""
    import json
    import shutil

    from rolereport.jobs import manifest
    from rolereport.jobs.manifest import ManifestRow, read_manifest
    from rolereport.send.recipients import STAMP

    source = [r for r in read_manifest(real / "manifest.csv") if r["status"] == "ok"]
    rows = []
    for i in range(people):
        row = source[i % len(source)]
        slug, address = f"person-{i:04d}", f"person{i:04d}@example.com"
        shutil.copytree(real / row["slug"], folder / slug)
        stamp = json.loads((folder / slug / STAMP).read_text(encoding="utf-8"))
        if stamp.get("identity"):
            stamp["identity"]["email"] = address
        (folder / slug / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
        files = {f: (Path(row[f"{f}_file"]).name, int(row[f"{f}_bytes"]), row[f"{f}_sha256"]) for f in formats}
        rows.append(ManifestRow(name=row["name"], email=address, slug=slug, status="ok", files=files))
    manifest.write_manifest(folder, rows, formats)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--attach", default="pdf")
    parser.add_argument("--like", type=Path, help="a real batch folder whose people are repeated")
    args = parser.parse_args()
    formats = tuple(args.attach.split(","))
    with tempfile.TemporaryDirectory(prefix="rolereport-send-bench-") as tmp:
        folder = Path(tmp) / "batch"
        if args.like:
            folder.mkdir()
            replicate(args.like, folder, args.people, formats)
        else:
            build(folder, args.people, formats)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None and server.stdout.readline().strip() == "ready"
            started = time.perf_counter()
            run = subprocess.run([str(VENV_BIN / "rolereport"), "send", str(folder), "--send", "--from",
                                  "HR <hr@example.com>", "--smtp", f"127.0.0.1:{port}", "--attach", args.attach],
                                 capture_output=True, text=True)
            seconds = time.perf_counter() - started
            # the floor, in the same command: the same messages, already built, sent by smtplib alone
            dry = subprocess.run([str(VENV_BIN / "rolereport"), "send", str(folder), "--from", "HR <hr@example.com>",
                                  "--attach", args.attach] + sum((["--resend", f"person-{i:04d}"]
                                                                  for i in range(args.people)), []),
                                 capture_output=True, text=True)
            floor = subprocess.run([sys.executable, "-c", FLOOR, str(port), str(folder / "outbox")],
                                   capture_output=True, text=True, check=True)
        finally:
            received, _ = server.communicate("", timeout=60)
        total = sum((folder / "person-0000" / f).stat().st_size for f in os.listdir(folder / "person-0000"))
        print(run.stdout.splitlines()[-1] if run.stdout else run.stderr)
        print(f"{args.people} messages ({total / 1000:.0f} kB of files each, --attach {args.attach}) "
              f"in {seconds:.1f} s ({args.people / seconds:.0f}/s); the server received {received.strip()}")
        print(f"floor: the same {args.people} messages prebuilt, smtplib.sendmail alone: {floor.stdout.strip()} s; "
              f"dry run (prepare and write all .eml): {dry.stdout.splitlines()[-1].rsplit(' in ', 1)[-1]}")
        sys.exit(run.returncode)


if __name__ == "__main__":
    main()
