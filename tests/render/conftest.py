"""The PDF of each test module's `report` fixture, rendered once per module, and its text."""

from __future__ import annotations

import pytest

from render.helpers import fixed_epoch, pdf_text, render_pdf


@pytest.fixture(scope="module")
def pdf(report) -> bytes:
    with fixed_epoch():
        return render_pdf(report)


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return pdf_text(pdf)
