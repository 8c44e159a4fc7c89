"""Page breaks a reader meets in the personalised PDF: "What this ranking is based on" is never
split between a label and its value, wherever the summary falls on the page."""

from __future__ import annotations

import io

from pypdf import PdfReader

from conftest import DEFAULT_SOURCE
from rolereport.jobs.report import make_report
from rolereport.model import Profile
from rolereport.render.context import Context
from rolereport.render.pdf import document as pdf
from rolereport.sources import read_source

END = "every team release safely on Friday afternoons"


def _pages(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_the_profile_summary_keeps_each_label_with_its_value():
    guide, info = read_source(DEFAULT_SOURCE)
    ctx = Context.create()
    # the first two point to two more roles, so the best matches fill three cards (#31: only roles
    # with a reason of their own are best matches) and the summary starts low on the page
    interests = ["ETL pipelines and Spark", "REST APIs in Django",
                 "release automation", "monitoring and alerts", "Terraform on AWS", "incident reviews",
                 "cost dashboards", "on-call handbooks", "load testing", "capacity planning",
                 "build caching", "security patching", "runbooks", "chaos drills"]
    moved = set()
    for n in range(2, len(interests) + 1, 2):  # the summary moves down the page, then over its end
        person = Profile(name="Test Person", current_role="Systems Administrator", interests=tuple(interests[:n]),
                         strengths=("calm during incidents",),
                         goals=f"More time on the platform that ships software, with practices that let {END}.")
        pages = _pages(pdf.render(make_report(guide, info, person), ctx))
        label = next(i for i, t in enumerate(pages) if "Current role Systems Administrator" in t)
        end = next(i for i, t in enumerate(pages) if END in t)
        assert label == end, (n, label, end)
        moved.add(label)
    assert len(moved) >= 2  # the summary did reach the next page in some of them
