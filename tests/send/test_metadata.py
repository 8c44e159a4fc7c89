"""Reading whose a file is from its title property, as `send` does before attaching it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from render.helpers import render_pdf, report_for
from rolereport.model import Profile
from rolereport.send.metadata import Unreadable, names, title_of
from send.helpers import office_bytes, pdf_bytes


def test_a_real_tagged_guide_reads_as_pypdf_reads_it():
    # WeasyPrint keeps the information dictionary in an object stream beside the structure tree:
    # the fast path parses that one object; it must give what pypdf's full parse gives
    data = render_pdf(report_for(profile=Profile(name="Zoë Brontë", interests=("data pipelines",))))
    assert title_of("pdf", data) == PdfReader(io.BytesIO(data)).metadata.title
    assert title_of("pdf", data)


def test_simple_files():
    assert title_of("pdf", pdf_bytes("Career guide – José")) == "Career guide – José"
    assert title_of("docx", office_bytes("docx", "Handout – A & B <x>")) == "Handout – A & B <x>"
    assert title_of("xlsx", office_bytes("xlsx", "")) == ""


@pytest.mark.parametrize("fmt, data", [("pdf", b"%PDF-1.7\nnot really"), ("docx", b"PK\x03\x04broken"),
                                       ("xlsx", b"plain text")])
def test_damaged_files_are_unreadable_not_a_crash(fmt, data):
    with pytest.raises(Unreadable):
        title_of(fmt, data)


def test_an_office_file_with_an_entity_bomb_is_refused():
    import zipfile

    bomb = ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            '<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>&b;</dc:title></cp:coreProperties>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("docProps/core.xml", bomb)
    with pytest.raises(Unreadable):
        title_of("docx", buf.getvalue())


def test_names_ignores_composition_spacing_and_case():
    import unicodedata

    assert names("Guide – " + unicodedata.normalize("NFD", "José  Müller"), "josé müller")
    assert names("Guide – O'Brien, Ann (HR)", "O'Brien, Ann")
    assert not names("Guide – José Müller", "José Müller-Lüdenscheidt")
    assert not names("Guide – José Müller-Lüdenscheidt", "José Müller")  # part of a longer name
    assert not names("Guide – Anna Smith", "Ann") and not names("Guide – Joanne", "Anne")
    assert not names("Guide", "")
