"""What runs inside a batch worker, whichever executor started it: load once, then build people."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Any

from rolereport import notices
from rolereport.errors import Problem, RoleReportError, SourceError
from rolereport.jobs.executors import Outcome, PageRef, Task, WorkerSpec


@dataclass
class State:
    spec: WorkerSpec
    ctx: Any  # render.context.Context
    guide: Any  # model.Guide (None with a library: each task names its page)
    info: Any  # model.SourceInfo
    pages: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # SHA-256 -> (Guide, SourceInfo)
    links: dict[str, dict[str, str] | None] = field(default_factory=dict)  # SHA-256 -> the page's library lines


def page_of(state: State, ref: PageRef) -> tuple[Any, Any]:
    """The person's page, parsed the first time this worker meets it and kept by its hash: a
    worker's memory grows with the pages it serves, not the people."""
    kept = state.pages.get(ref.info.sha256)
    if kept is not None:
        return kept
    from rolereport.sources import read_source

    with notices.collect():  # the parent read the page too and already said its warnings
        guide, info = read_source(ref.path, ref.source_format)
    if info.sha256 != ref.info.sha256:
        raise SourceError(Problem(ref.path, "is not the same file here as where the batch was started (its "
                                  "contents differ, or it changed during the run); run the batch again"))
    state.pages[ref.info.sha256] = (guide, ref.info)
    return guide, ref.info


def setup(spec: WorkerSpec) -> State:
    """Load templates, theme, fonts, renderers and the parsed source once for this process (with a
    library, the pages are parsed as people need them: `page_of`)."""
    from rolereport.render import renderer
    from rolereport.render.context import Context
    from rolereport.sources import read_source

    ctx = Context.create(spec.templates, spec.theme)
    guide = info = None
    if spec.library is None:
        with notices.collect():  # the parent read the source too and already said its warnings
            guide, info = read_source(spec.source, spec.source_format)
    if info is not None and spec.source_info is not None:
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
    state = State(spec, ctx, guide, info)
    if info is not None:
        state.pages[info.sha256] = (guide, info)
    return state


def build(state: State, task: Task) -> Outcome:
    """Render one person's files within the per-person time limit (`spec.timeout`, by default
    ROLEREPORT_RENDER_TIMEOUT). Errors become the outcome's `error`; nothing is raised."""
    from rolereport.jobs.report import make_report, render_all, top_fits
    from rolereport.system.deadline import deadline

    limit = -1.0 if state.spec.timeout is None else (state.spec.timeout or None)  # -1: the default
    with notices.collect() as found:
        try:
            with deadline(task.key, limit, "person"):
                guide, info = (state.guide, state.info) if task.page is None else page_of(state, task.page)
                report = make_report(guide, info, None if task.plain else task.profile, _links(state, guide, info))
                outputs = render_all(report, state.ctx, state.spec.formats, threads=state.spec.threads)
        except RoleReportError as exc:
            return Outcome(task.key, warnings=tuple(found), error=" | ".join(str(p) for p in exc.problems))
        except Exception as exc:  # a renderer bug must not stop the others
            return Outcome(task.key, warnings=tuple(found), error=f"{type(exc).__name__}: {exc}")
    return Outcome(task.key, outputs=outputs, warnings=tuple(found), top=top_fits(report),
                   current=report.current or "")


def _links(state: State, guide: Any, info: Any) -> dict[str, str] | None:
    """Which of the page's alternatives the library has a guide for: worked out once per page and
    worker, not per person."""
    if state.spec.library is None:
        return None
    if info.sha256 not in state.links:
        from rolereport.sources.library import guides_for

        state.links[info.sha256] = guides_for(guide, dict(state.spec.library))
    return dict(state.links[info.sha256] or {})
