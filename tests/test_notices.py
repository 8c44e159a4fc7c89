from rolereport import notices
from rolereport.errors import Problem


def test_warning_without_collector_goes_to_stderr(capsys):
    notices.warn("page.html", "assumed windows-1252", "line 1")
    assert capsys.readouterr().err == "rolereport: page.html: line 1: warning: assumed windows-1252\n"


def test_innermost_collector_gets_each_warning_once(capsys):
    with notices.collect() as outer:
        notices.warn("a.csv", "column 'dept' ignored")
        with notices.collect() as inner:
            notices.warn("b.yaml", "no glyph", "field 'name'")
            notices.warn("b.yaml", "no glyph", "field 'name'")
    assert outer == [Problem("a.csv", "column 'dept' ignored")]
    assert inner == [Problem("b.yaml", "no glyph", "field 'name'")]
    assert notices.line(inner[0]) == "b.yaml: field 'name': warning: no glyph"
    assert capsys.readouterr().err == ""
