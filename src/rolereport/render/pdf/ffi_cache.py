"""WeasyPrint's C declarations, parsed once per installation instead of in every process.

WeasyPrint binds Pango, HarfBuzz and fontconfig with cffi's in-line ABI mode: every process
parses about 450 lines of C declarations with pycparser while importing WeasyPrint (about half of
its 0.4 s import), then parses each C type again the first time the layout uses it. cffi's
out-of-line ABI mode keeps the parsed declarations as data instead. After a normal import,
`remember()` stores those data in the cache folder; later, `install()` makes the import of
`weasyprint.text.ffi` run that same module's code with the stored declarations in place of the
in-line parse. The libraries are opened by the same code and the PDFs are byte-identical (tests
compare both routes).

The entry is keyed by the exact text of WeasyPrint's ffi.py and the cffi backend's version, is
read as Python literals (`ast.literal_eval`, never executed), and is only used when it belongs to
this user and nobody else may write it. Anything unexpected (a differently shaped ffi.py, no
cache folder, a refused entry) means the normal import, never an error.

The cache folder is `ROLEREPORT_CACHE_DIR` (empty: no cache), else `$XDG_CACHE_HOME/rolereport`,
else `~/.cache/rolereport`.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.abc
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

MODULE = "weasyprint.text.ffi"
_INLINE = re.compile(r"^ffi = cffi\.FFI\(\)\nffi\.cdef\('''.*?'''\)\n", re.S | re.M)
_IMPORT = re.compile(r"^import cffi\n", re.M)
_NAME = "_rolereport_weasyprint_ffi"
_state: dict[str, Any] = {}


def cache_dir() -> Path | None:
    value = os.environ.get("ROLEREPORT_CACHE_DIR")
    if value is not None:
        return Path(value) if value else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            home = Path.home()
        except RuntimeError:
            return None
        base = str(home / ".cache")
    return Path(base) / "rolereport" if Path(base).is_absolute() else None  # never beside the cwd


def _ffi_source() -> tuple[Path, str] | None:
    spec = importlib.util.find_spec("weasyprint")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), "text", "ffi.py")
    try:
        return path, path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None


def without_inline_parse(text: str) -> str | None:
    """ffi.py's code with `ffi = cffi.FFI(); ffi.cdef(...)` replaced by a precompiled `ffi`."""
    if len(_INLINE.findall(text)) != 1 or len(_IMPORT.findall(text)) != 1:
        return None
    code = _IMPORT.sub("", _INLINE.sub("ffi = __precompiled_ffi__\n", text))
    return None if re.search(r"\bcffi\b", code) else code


def _entry(text: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    import _cffi_backend

    key = hashlib.sha256(f"{_cffi_backend.__version__}\n{sys.implementation.cache_tag}\n{text}".encode())
    return folder / f"weasyprint-ffi-{key.hexdigest()[:24]}.py"


def _trusted(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    if os.name != "posix":
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _load(path: Path) -> Any:
    """The precompiled FFI from a cache entry, built from its literal arguments only."""
    import _cffi_backend

    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [node.value for node in tree.body if isinstance(node, ast.Assign)]
    if len(calls) != 1 or not isinstance(calls[0], ast.Call):
        raise ValueError("unexpected cache entry")
    call = calls[0]
    args = [ast.literal_eval(arg) for arg in call.args]
    kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg}
    return _cffi_backend.FFI(*args, **kwargs)


class _Loader(importlib.abc.Loader):
    def __init__(self, ffi: Any, code: str, text: str, path: Path) -> None:
        self.ffi, self.code, self.text, self.path = ffi, code, text, path

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        start = dict(module.__dict__)
        try:
            module.__precompiled_ffi__ = self.ffi
            exec(compile(self.code, str(self.path), "exec"), module.__dict__)
            del module.__precompiled_ffi__
            _state["used"] = True
        except Exception:  # the module's own code, as written, decides what happens now
            module.__dict__.clear()
            module.__dict__.update(start)
            exec(compile(self.text, str(self.path), "exec"), module.__dict__)


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, path: Path, loader: _Loader) -> None:
        self.path, self.loader = path, loader

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != MODULE:
            return None
        sys.meta_path[:] = [f for f in sys.meta_path if f is not self]  # one use
        return importlib.util.spec_from_file_location(name, self.path, loader=self.loader)


def install() -> bool:
    """Before WeasyPrint is imported: use the cached declarations if there is a matching entry."""
    if MODULE in sys.modules or "checked" in _state or not sys.platform.startswith("linux"):
        return False
    _state["checked"] = True
    found = _ffi_source()
    if found is None:
        return False
    path, text = found
    code = without_inline_parse(text)
    entry = _entry(text) if code is not None else None
    _state["entry"] = entry
    if entry is None or not _trusted(entry):
        return False
    try:
        ffi = _load(entry)
    except Exception:
        return False
    sys.meta_path.insert(0, _Finder(path, _Loader(ffi, code, text, path)))
    return True


def used() -> bool:
    return bool(_state.get("used"))


def remember() -> None:
    """After WeasyPrint is imported the normal way: store its declarations for later runs."""
    entry = _state.pop("entry", None)
    module = sys.modules.get(MODULE)
    if entry is None or used() or module is None:
        return
    try:
        from cffi.recompiler import make_py_source

        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".py")
        os.close(fd)
        try:
            make_py_source(module.ffi, _NAME, tmp)
            os.chmod(tmp, 0o600)
            os.replace(tmp, entry)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except Exception:  # a cache is an optimisation: never fail a report over it
        return
