"""One long-lived pandoc per process for our own conversions: `pandoc lua` reading requests on its
standard input, so a batch person's conversions cost pandoc's work, not a new pandoc each.

It talks through pipes only (no port: `pandoc server` listens on every interface and cannot be
bound to this machine, so it is not used). Each request is read in pandoc's sandbox (`pandoc.read`
with an empty file tree: the text reads no file and no URL) and written by the same writer the
command line uses, with the same options, so the bytes are the command line's (a test holds the
two to that). Whatever the session cannot do the same way — another option, a DOCX whose images
pandoc would fetch, an error to report — the caller runs the sandboxed command instead:
`convert` returns None then. The session is one process's (a forked worker starts its own) and
one thread's at a time (another thread meanwhile gets None). A request that overruns the time
limit, or is interrupted, kills the session; the next request starts a new one.

`ROLEREPORT_PANDOC_SESSION=0` turns it off (every conversion runs the command).
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import threading
import time
from typing import Any

from rolereport.system import pandoc as runner
from rolereport.system.deadline import render_timeout

ENV = "ROLEREPORT_PANDOC_SESSION"
# Requests: a JSON line {from, to, n, options, env}, then n bytes of input. Answers: "ok N\n" or
# "error N\n", then N bytes. The reader is sandboxed; the writer runs with only `env` as its
# environment (SOURCE_DATE_EPOCH). pandoc before 3.7 cannot sandbox pandoc.read: then no session.
_SCRIPT = r"""
if PANDOC_VERSION < '3.7' then os.exit(3) end
local json = pandoc.json
while true do
  local line = io.stdin:read('l')
  if not line then break end
  local req = json.decode(line, false)
  local text = req.n > 0 and io.stdin:read(req.n) or ''
  local ok, result = pcall(function()
    local doc = pandoc.read(text, req.from, {}, {})
    return pandoc.system.with_environment(req.env, function()
      return pandoc.write(doc, req.to, req.options)
    end)
  end)
  if not ok then result = tostring(result) end
  io.stdout:write(ok and 'ok ' or 'error ', tostring(#result), '\n', result)
  io.stdout:flush()
end
"""
TEXT_FORMATS = ("json", "html5")  # the command line ends their output with a newline
_lock = threading.Lock()
# the session's process, the process that started it, its pandoc, pandoc binaries found unable
_state: dict[str, Any] = {"proc": None, "pid": 0, "path": "", "broken": set(), "cpu": 0.0}


def enabled() -> bool:
    return os.environ.get(ENV, "1").strip() != "0"


def _start(path: str) -> subprocess.Popen[bytes] | None:
    env = {k: v for k, v in os.environ.items() if k != "LUA_INIT"}
    try:
        # bounded and tied to this process as every pandoc run is (system/pandoc.py): its heap
        # limit, an address-space backstop, and the kernel kills it when this process dies
        memory = runner.memory_limit_mb()
        command = [path, *runner.heap_options(path, memory), "lua", "-e", _SCRIPT]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=env,
                                start_new_session=True,  # out of the terminal's Ctrl-C, as run_pandoc
                                preexec_fn=runner.child_bounds(memory, None))
    except OSError:
        return None
    _state.update(proc=proc, pid=os.getpid(), path=path)
    try:  # the handshake: an empty text, converted as every request is
        if _request(proc, "markdown", "json", b"", {}, {}, render_timeout())[0] != "ok":
            raise OSError("no session")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        _kill()
        _state["broken"].add(path)  # this pandoc has no usable `pandoc lua`: the command it is
        return None
    return proc


def _kill() -> None:
    proc = _state["proc"]
    _state["proc"] = None
    if proc is None or _state["pid"] != os.getpid():
        return
    _state["cpu"] += cpu_seconds(proc)
    proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:  # a request left in the buffer of a pandoc that is gone: a broken pipe
                pass


def cpu_seconds(proc: subprocess.Popen[bytes] | None = None) -> float:
    """CPU seconds the session processes of this process used so far (for benchmarks)."""
    if proc is None:
        return _state["cpu"] + (cpu_seconds(_state["proc"]) if _state["proc"] is not None else 0.0)
    try:
        with open(f"/proc/{proc.pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _read(fd: int, n: int, until: float | None, line: bool = False) -> bytes:
    out = bytearray()
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while (len(out) < n) if not line else not out.endswith(b"\n"):
            left = None if until is None else until - time.monotonic()
            if left is not None and (left <= 0 or not sel.select(left)):
                raise subprocess.TimeoutExpired("pandoc lua", 0)
            chunk = os.read(fd, 1 if line else min(n - len(out), 1 << 20))
            if not chunk:
                raise OSError("the pandoc session ended")
            out += chunk
    return bytes(out)


def _request(proc: subprocess.Popen[bytes], reader: str, to: str, data: bytes, options: dict[str, Any],
             env: dict[str, str], timeout: float | None) -> tuple[str, bytes]:
    assert proc.stdin is not None and proc.stdout is not None
    until = None if timeout is None else time.monotonic() + timeout
    head = json.dumps({"from": reader, "to": to, "n": len(data), "options": options, "env": env})
    proc.stdin.write(head.encode("utf-8") + b"\n" + data)
    proc.stdin.flush()
    fd = proc.stdout.fileno()
    status, size = _read(fd, 0, until, line=True).decode("ascii").split()
    return status, _read(fd, int(size), until)


def convert(reader: str, to: str, data: bytes, options: dict[str, Any], env: dict[str, str]) -> bytes | None:
    """`data` read as `reader`, written as `to` with writer `options`; None when the caller must
    run the command instead (no session here, the session busy in another thread, or pandoc
    reporting an error, which the command then reports in its own words).

    Raises subprocess.TimeoutExpired (the session was killed) like `run_pandoc`."""
    if not enabled() or not _lock.acquire(blocking=False):
        return None
    try:
        path = runner.pandoc_path()
        if _state["pid"] != os.getpid():
            _state.update(proc=None, cpu=0.0)  # a forked child: the parent's session is not ours
        proc = _state["proc"]
        if proc is not None and (proc.poll() is not None or _state["path"] != path):
            _kill()  # it ended, or another pandoc is asked for now
            proc = None
        if proc is None:
            proc = None if path in _state["broken"] else _start(path)
            if proc is None:
                return None
        timeout = render_timeout()
        try:
            status, out = _request(proc, reader, to, data, options, env, timeout)
        except subprocess.TimeoutExpired:
            _kill()
            raise subprocess.TimeoutExpired("pandoc", timeout or 0) from None
        except OSError:  # it died meanwhile: this request goes to the command
            _kill()
            return None
        except BaseException:  # an interrupted request leaves the pipe mid-answer: start afresh
            _kill()
            raise
        if status != "ok":
            return None
        if to in TEXT_FORMATS and not out.endswith(b"\n"):
            out += b"\n"
        return out
    finally:
        _lock.release()


def close() -> None:
    """Stop this process's session (it also ends by itself when this process's end closes its input)."""
    with _lock:
        _kill()
