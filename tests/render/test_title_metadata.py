"""A personalised DOCX and XLSX name the person in their title property, so files cannot be confused
once they leave their folder (the PDF's is tested with the other personal PDF checks, test_personal.py)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from render.helpers import fixed_epoch, report_for
from rolereport.model import Profile
from rolereport.render import docx, xlsx
from rolereport.render.context import Context
from rolereport.text.labels import LABELS

PROFILE = Profile(name="Zoë Ørsted-Françoise", interests=("release automation",))


@pytest.fixture(scope="module")
def report():
    with fixed_epoch():
        return report_for(profile=PROFILE)


@pytest.fixture(scope="module")
def expected(report) -> str:
    return LABELS["personal_title"].format(title=report.guide.title, name=PROFILE.name)


def test_docx_title_property_names_the_person_but_the_page_title_does_not_change(report, expected):
    doc = Document(io.BytesIO(docx.render(report, Context.create())))
    assert doc.core_properties.title == expected
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text.strip() == report.guide.title


def test_xlsx_title_names_the_person(report, expected):
    wb = load_workbook(io.BytesIO(xlsx.render(report, Context.create())))
    assert wb.properties.title == expected


def test_without_a_profile_the_title_is_the_guides():
    with fixed_epoch():
        plain = report_for()
    wb = load_workbook(io.BytesIO(xlsx.render(plain, Context.create())))
    assert wb.properties.title == plain.guide.title
