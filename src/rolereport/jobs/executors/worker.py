"""What runs inside a batch worker, whichever executor started it: load once, then build people."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

from rolereport import notices
from rolereport.errors import Problem, RoleReportError, SourceError
from rolereport.jobs.executors import Outcome, Task, WorkerSpec


@dataclass
class State:
    spec: WorkerSpec
    ctx: Any  # render.context.Context
    guide: Any  # model.Guide
    info: Any  # model.SourceInfo


def setup(spec: WorkerSpec) -> State:
    """Load templates, theme, fonts, renderers and the parsed source once for this process."""
    from rolereport.render import renderer
    from rolereport.render.context import Context
    from rolereport.sources import read_source

    ctx = Context.create(spec.templates, spec.theme)
    with notices.collect():  # the parent read the source too and already said its warnings
        guide, info = read_source(spec.source, spec.source_format)
    if spec.source_info is not None:
        if info.sha256 != spec.source_info.sha256:
            raise SourceError(Problem(str(spec.source or info.name), "is not the same file here as where the "
                                      "batch was started (its contents differ); give every worker the same "
                                      "source"))
        info = spec.source_info
    for fmt in spec.formats:  # import each renderer (WeasyPrint, openpyxl…) once, up front
        renderer(fmt)
    # Everything loaded so far lives as long as the worker: keep it out of the collector's full
    # passes, which otherwise re-scan it every few people (2-3 % of a batch; memory unchanged).
    gc.collect()
    gc.freeze()
    return State(spec, ctx, guide, info)


def build(state: State, task: Task) -> Outcome:
    """Render one person's files within the per-person time limit (`spec.timeout`, by default
    ROLEREPORT_RENDER_TIMEOUT). Errors become the outcome's `error`; nothing is raised."""
    from rolereport.jobs.report import make_report, render_all, top_fits
    from rolereport.system.deadline import deadline

    limit = -1.0 if state.spec.timeout is None else (state.spec.timeout or None)  # -1: the default
    with notices.collect() as found:
        try:
            with deadline(task.key, limit, "person"):
                report = make_report(state.guide, state.info, None if task.plain else task.profile)
                outputs = render_all(report, state.ctx, state.spec.formats, threads=state.spec.threads)
        except RoleReportError as exc:
            return Outcome(task.key, warnings=tuple(found), error=" | ".join(str(p) for p in exc.problems))
        except Exception as exc:  # a renderer bug must not stop the others
            return Outcome(task.key, warnings=tuple(found), error=f"{type(exc).__name__}: {exc}")
    return Outcome(task.key, outputs=outputs, warnings=tuple(found), top=top_fits(report))
