"""The Excel matrix, read back the way its readers open it: sheets, Tables, cells and the raw XML."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from conftest import DEFAULT_SOURCE, FIXTURES
from rolereport.model import Evidence, Fit, Profile, Report, SourceInfo
from rolereport.render import renderer
from rolereport.render.context import Context
from rolereport.render.xlsx import render
from rolereport.sources import read_source
from rolereport.text.labels import LABELS, band_for
from sources.test_extract import synthetic_page

SOURCE_INFO = SourceInfo(name="page.txt", date=dt.date(2026, 1, 1), sha256="0" * 64)
HOSTILE = ['=HYPERLINK("http://x")', "+cmd", "-y", "@z", "\tTab start", "\rCR start", "=1+1"]
PLAIN_HEADINGS = ["role_kind", "rank", "role", "tagline", "primary_focus", "key_responsibility", "tools",
                  "deliverable", "best_for", "pick_if"]
FIT_HEADINGS = PLAIN_HEADINGS[:3] + ["fit_score", "fit_band"] + PLAIN_HEADINGS[3:]
HEADER_ROW = 4


def synthetic_fits(guide, scores: list[int]) -> tuple[Fit, ...]:
    """Fits as the fit module would give them: best first, ties broken by the source's rank."""
    pairs = sorted(zip(guide.alternatives, scores, strict=True), key=lambda p: (-p[1], p[0].rank))
    return tuple(
        Fit(role=role.name, rank=i, score=score, band=band_for(score),
            evidence=tuple(Evidence(profile_text=f"interest {k}", source_text=f"phrase {k} of {role.name}",
                                    field="best_for") for k in range(i % 6)))
        for i, (role, score) in enumerate(pairs, start=1)
    )


def guide_from(path):
    guide, _ = read_source(path)
    return guide


def page_guide(tmp_path_factory, n: int):
    page = tmp_path_factory.mktemp(f"page{n}") / "p.txt"
    page.write_text(synthetic_page(n), encoding="utf-8")
    return guide_from(page)


def hostile_guide(guide):
    """The default guide with formula-like names, tools and statements everywhere."""
    subject = guide.subject.model_copy(update={"name": "@subject", "tools": ("=SUM(A1:A9)", "Docker")})
    alternatives = tuple(
        role.model_copy(update={"name": HOSTILE[i % len(HOSTILE)] + (f" {i}" if i >= len(HOSTILE) else ""),
                                "tagline": "-2+3", "deliverable": HOSTILE[(i + 5) % len(HOSTILE)],
                                "tools": role.tools + ("=cmd|' /C calc'!A0", "role"),
                                "best_for": role.best_for + ("=1+1", "+x"), "pick_if": "@SUM(1)"})
        for i, role in enumerate(guide.alternatives)
    )
    return guide.model_copy(update={"subject": subject, "alternatives": alternatives})


class Built:
    """One rendered workbook with its bytes, its openpyxl view and its raw XML parts."""

    def __init__(self, report: Report, ctx: Context) -> None:
        self.report = report
        self.data = render(report, ctx)
        self.wb = load_workbook(io.BytesIO(self.data))
        with zipfile.ZipFile(io.BytesIO(self.data)) as z:
            self.infos = z.infolist()
            self.parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}

    def sheet(self, key: str):
        return self.wb[LABELS[key]]

    def headings(self, key: str) -> list[str]:
        ws = self.sheet(key)
        return [c.value for c in ws[HEADER_ROW] if c.value is not None]

    def column(self, key: str, heading: str) -> list:
        ws = self.sheet(key)
        col = self.headings(key).index(heading) + 1
        return [ws.cell(row=r, column=col).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]

    def cells(self):
        for ws in self.wb.worksheets:
            for row in ws.iter_rows():
                yield from row


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context.create()


@pytest.fixture(scope="module")
def guide():
    return guide_from(DEFAULT_SOURCE)


@pytest.fixture(scope="module")
def plain(ctx, guide) -> Built:
    return Built(Report(guide=guide, source=SOURCE_INFO), ctx)


PROFILE = Profile(name="Jane Q. Doe", interests=("pipelines",), strengths=("SQL",))


@pytest.fixture(scope="module")
def personal(ctx, guide) -> Built:
    scores = [30, 85, 10, 85, 55]  # a tie, and an order unlike the source's
    report = Report(guide=guide, source=SOURCE_INFO, profile=PROFILE, fits=synthetic_fits(guide, scores))
    return Built(report, ctx)


@pytest.fixture(scope="module")
def hostile(ctx, guide) -> Built:
    g = hostile_guide(guide)
    profile = Profile(name="=HYPERLINK(\"http://evil\")")
    fits = tuple(f.model_copy(update={"evidence": (Evidence(profile_text="=2+2", source_text="+cmd",
                                                            field="tools"),)})
                 for f in synthetic_fits(g, [50, 40, 30, 20, 10]))
    return Built(Report(guide=g, source=SOURCE_INFO, profile=profile, fits=fits), ctx)


def paged(ctx, tmp_path_factory, n: int) -> Built:
    g = page_guide(tmp_path_factory, n)
    return Built(Report(guide=g, source=SOURCE_INFO, profile=PROFILE,
                        fits=synthetic_fits(g, [(7 * i) % 101 for i in range(len(g.alternatives))])), ctx)


@pytest.fixture(scope="module")
def one_role(ctx, tmp_path_factory) -> Built:
    return paged(ctx, tmp_path_factory, 1)


@pytest.fixture(scope="module")
def many_roles(ctx, tmp_path_factory) -> Built:
    return paged(ctx, tmp_path_factory, 25)


@pytest.fixture(scope="module")
def product(ctx) -> Built:
    return Built(Report(guide=guide_from(FIXTURES / "product-manager.txt"), source=SOURCE_INFO), ctx)


ALL = ["plain", "personal", "hostile", "one_role", "many_roles", "product"]


@pytest.fixture(params=ALL)
def any_built(request) -> Built:
    return request.getfixturevalue(request.param)


# --- structure -------------------------------------------------------------------------------


def test_sheets_in_order(plain, personal):
    assert plain.wb.sheetnames == [LABELS[k] for k in ("sheet_roles", "sheet_tools", "sheet_best_for",
                                                        "sheet_about")]
    assert personal.wb.sheetnames == [LABELS[k] for k in ("sheet_roles", "sheet_fit", "sheet_tools",
                                                           "sheet_best_for", "sheet_about")]
    assert plain.wb.active.title == LABELS["sheet_roles"]


def test_three_tables_cover_every_row(any_built):
    g = any_built.report.guide
    expected = {
        "sheet_roles": ("RolesTable", 1 + len(g.alternatives)),
        "sheet_tools": ("ToolsTable", any_built.sheet("sheet_tools").max_row - HEADER_ROW),
        "sheet_best_for": ("BestForTable", max(1, sum(len(r.best_for) for r in g.alternatives))),
    }
    names = []
    for key, (name, rows) in expected.items():
        ws = any_built.sheet(key)
        assert list(ws.tables) == [name]
        table = ws.tables[name]
        first, last = table.ref.split(":")
        width = len(any_built.headings(key))
        assert first == f"A{HEADER_ROW}"
        assert last == f"{ws.cell(row=1, column=width).column_letter}{HEADER_ROW + rows}"
        assert ws.max_row == HEADER_ROW + rows or key == "sheet_best_for"
        assert [c.name for c in table.tableColumns] == any_built.headings(key)
        names.append(table.displayName)
    assert len(set(n.casefold() for n in names)) == 3
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", n) for n in names)


def test_table_columns_unique_ignoring_case(any_built):
    for ws in any_built.wb.worksheets:
        for table in ws.tables.values():
            cols = [c.name.casefold() for c in table.tableColumns]
            assert len(cols) == len(set(cols)) and all(cols)


def test_no_sheet_level_autofilter(any_built):
    for ws in any_built.wb.worksheets:
        assert ws.auto_filter.ref is None
    for name, xml in any_built.parts.items():
        if name.startswith("xl/worksheets/sheet"):
            assert "<autoFilter" not in xml


def test_panes_frozen_below_header_right_of_role(plain, personal):
    for built in (plain, personal):
        assert built.sheet("sheet_roles").freeze_panes == f"D{HEADER_ROW + 1}"  # role type, rank, role
        for key in ("sheet_tools", "sheet_best_for"):
            assert built.sheet(key).freeze_panes == f"D{HEADER_ROW + 1}"


def test_sheet_names_legal(any_built):
    for name in any_built.wb.sheetnames:
        assert 0 < len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_print_setup(plain, personal):
    """The Roles sheet prints its text at 8 pt or more: at a fixed scale, its columns running on
    over several landscape pages, each repeating the heading row and which role a row is."""
    for built in (plain, personal):
        ws = built.sheet("sheet_roles")
        assert ws.page_setup.orientation == "landscape"
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
        smallest = min(c.font.sz for row in ws.iter_rows(min_row=HEADER_ROW) for c in row if c.value is not None)
        assert smallest * int(ws.page_setup.scale) / 100 >= 8
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.print_title_cols == "$A:$C"
    about = plain.sheet("sheet_about")
    assert about.sheet_properties.pageSetUpPr.fitToPage  # two columns of text: one page wide is fine


def test_wrapped_text_and_widths_capped(plain):
    ws = plain.sheet("sheet_roles")
    assert ws.cell(row=HEADER_ROW + 2, column=len(PLAIN_HEADINGS) - 1).alignment.wrap_text
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[HEADER_ROW]]
    assert all(6 <= w <= 60 for w in widths)
    assert ws.row_dimensions[HEADER_ROW + 2].height > 30  # multi-line rows are tall enough to read


# --- the Roles sheet -------------------------------------------------------------------------


def test_roles_headings_are_the_shared_labels(plain, personal):
    assert plain.headings("sheet_roles") == [LABELS[k] for k in PLAIN_HEADINGS]
    assert personal.headings("sheet_roles") == [LABELS[k] for k in FIT_HEADINGS]


def test_roles_current_role_first_then_rank(plain):
    g = plain.report.guide
    assert plain.column("sheet_roles", LABELS["role"]) == [g.subject.name] + [r.name for r in g.alternatives]
    assert plain.column("sheet_roles", LABELS["rank"]) == [None] + [r.rank for r in g.alternatives]
    # the baseline is marked in a column of its own: a sort or a filter keeps it findable
    assert plain.column("sheet_roles", LABELS["role_kind"]) == [LABELS["current_role_marker"]] + [
        LABELS["alternative_marker"]] * len(g.alternatives)


def test_roles_cells_hold_the_source_text(plain):
    role = plain.report.guide.alternatives[0]
    ws = plain.sheet("sheet_roles")
    row = {h: ws.cell(row=HEADER_ROW + 2, column=i + 1).value for i, h in enumerate(plain.headings("sheet_roles"))}
    assert row[LABELS["tagline"]] == role.tagline
    assert row[LABELS["tools"]].split("\n") == list(role.tools)
    assert row[LABELS["best_for"]].split("\n") == [f"• {b}" for b in role.best_for]
    assert row[LABELS["pick_if"]] == role.pick_if


def test_without_profile_no_fit_and_no_none(plain, product):
    for built in (plain, product):
        assert LABELS["fit_score"] not in built.headings("sheet_roles")
        assert LABELS["sheet_fit"] not in built.wb.sheetnames
        assert not any(n.startswith("xl/charts/") for n in built.parts)
        assert not built.sheet("sheet_roles").conditional_formatting
        for cell in built.cells():
            assert "None" not in str(cell.value or "")
    # a role without a how-to-pick line has an empty cell, not "None"
    tpm = product.column("sheet_roles", LABELS["pick_if"])[-1]
    assert tpm is None


def test_with_profile_sorted_by_fit_current_role_on_top(personal):
    fits = personal.report.fits
    names = personal.column("sheet_roles", LABELS["role"])
    scores = personal.column("sheet_roles", LABELS["fit_score"])
    bands = personal.column("sheet_roles", LABELS["fit_band"])
    assert names[0] == personal.report.guide.subject.name and scores[0] is None
    assert bands[0] == LABELS["current_role_marker"]  # a filter on the band can keep the baseline
    assert names[1:] == [f.role for f in fits]
    assert scores[1:] == sorted(scores[1:], reverse=True) == [f.score for f in fits]
    assert bands[1:] == [f.band for f in fits]
    assert all(isinstance(s, int) for s in scores[1:])


def test_with_profile_why_column_words_the_evidence(personal):
    assert LABELS["why"] not in personal.headings("sheet_roles")  # long text: rows stay short
    whys = personal.column("sheet_fit", LABELS["why"])
    fit = next(f for f in personal.report.fits if len(f.evidence) >= 2)
    why = whys[personal.report.fits.index(fit)]
    ev = fit.evidence[0]
    assert f"Your “{ev.profile_text}” matches “{ev.source_text}” ({LABELS['best_for']})." in why.split("\n")


def test_with_profile_colour_scale_on_score(personal):
    ws = personal.sheet("sheet_roles")
    col = ws.cell(row=HEADER_ROW, column=FIT_HEADINGS.index("fit_score") + 1).column_letter
    ranges = {str(r.sqref): [rule.type for rule in r.rules] for r in ws.conditional_formatting}
    assert ranges == {f"{col}{HEADER_ROW + 1}:{col}{ws.max_row}": ["colorScale"]}


def test_with_profile_name_in_titles(personal):
    assert PROFILE.name in personal.sheet("sheet_roles")["A1"].value
    assert PROFILE.name in personal.sheet("sheet_fit")["A1"].value


def test_with_profile_native_bar_chart(personal):
    charts = [n for n in personal.parts if n.startswith("xl/charts/chart")]
    assert len(charts) == 1
    xml = personal.parts[charts[0]]
    assert re.search(r"<(c:)?barChart>", xml) and re.search(r'<(c:)?barDir val="bar"/>', xml)
    ws = personal.sheet("sheet_fit")
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value)
            for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(personal.report.fits))]
    assert rows == [(f.role, f.score) for f in personal.report.fits]
    assert f"$A${HEADER_ROW + 1}:$A${HEADER_ROW + len(rows)}" in xml


# --- Tools and Best for ----------------------------------------------------------------------


def tool_table(built: Built) -> list[dict[str, object]]:
    ws = built.sheet("sheet_tools")
    heads = built.headings("sheet_tools")
    return [dict(zip(heads, row, strict=False))
            for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=len(heads), values_only=True)]


def test_tools_one_row_per_role_and_tool_a_single_filter_answers(plain):
    """"Which roles use Python?": one filter on Tool, whatever the page wrote around the name."""
    g = plain.report.guide
    assert plain.headings("sheet_tools") == [LABELS[k] for k in (
        "role_kind", "rank", "role", "tool", "tool_family", "tool_as_written")]
    rows = tool_table(plain)
    python = [r for r in rows if r[LABELS["tool"]] == "Python"]
    written = {r.name: [t for t in r.tools if t.startswith("Python")] for r in g.alternatives}
    assert [r[LABELS["role"]] for r in python] == [name for name, ts in written.items() if ts]
    assert {r[LABELS["tool_as_written"]] for r in python} == {t for ts in written.values() for t in ts}
    family = {r[LABELS["tool_as_written"]]: r[LABELS["tool_family"]] for r in python}
    assert family["Python (Django/Flask)"] == "Django, Flask"
    sql = {r[LABELS["role"]] for r in rows if r[LABELS["tool"]] == "SQL"}
    assert sql == {r.name for r in g.alternatives if any(t.startswith("SQL") for t in r.tools)}
    assert len(sql) == 2  # "SQL" and "SQL DBs" are one tool
    tools = {r[LABELS["tool"]] for r in rows}
    assert "specialized AI libraries" not in tools  # a description, not a tool …
    vague = [r for r in rows if r[LABELS["tool_as_written"]] == "specialized AI libraries"]
    assert len(vague) == 1 and vague[0][LABELS["tool"]] is None  # … kept as text
    assert {"AWS", "GCP", "Azure"} <= tools  # "AWS/GCP/Azure" names three


def test_tools_current_role_not_in_numeric_columns(plain, personal):
    for built in (plain, personal):
        rows = tool_table(built)
        current = [r for r in rows if r[LABELS["role_kind"]] == LABELS["current_role_marker"]]
        assert current and all(r[LABELS["rank"]] is None for r in current)
        assert all(isinstance(r[LABELS["rank"]], int) for r in rows if r not in current)
        if built is personal:
            assert all(r[LABELS["fit_score"]] is None for r in current)
    by_role = {r[LABELS["role"]]: r for r in tool_table(personal)}
    for fit in personal.report.fits:
        if fit.role in by_role:
            assert by_role[fit.role][LABELS["fit_score"]] == fit.score
            assert by_role[fit.role][LABELS["fit_band"]] == fit.band


def test_tool_names_stay_literal(hostile):
    written = [r[LABELS["tool_as_written"]] for r in tool_table(hostile)]
    assert "=cmd|' /C calc'!A0" in written and "=SUM(A1:A9)" in written


def test_best_for_one_row_per_statement(product):
    g = product.report.guide
    pairs = [(r.name, b) for r in g.alternatives for b in r.best_for]
    got = list(zip(product.column("sheet_best_for", LABELS["role"]),
                   product.column("sheet_best_for", LABELS["best_for"]), strict=True))
    assert got == pairs


# --- About -----------------------------------------------------------------------------------


def about_text(built: Built) -> str:
    rows = built.sheet("sheet_about").iter_rows(values_only=True)
    return "\n".join(str(v) for row in rows for v in row if v is not None)


def test_about_explains_source_filtering_and_columns(plain, personal):
    text = about_text(plain)
    for needed in ("page.txt", "2026-01-01", plain.report.guide.title, "Microsoft Excel", "LibreOffice Calc",
                   "Google Sheets", "Text Filters", "Docker", *[LABELS[k] for k in PLAIN_HEADINGS]):
        assert needed in text
    assert LABELS["fit_score"] not in text
    personal_text = about_text(personal)
    assert PROFILE.name in personal_text and LABELS["why"] in personal_text


def test_about_wording_comes_from_the_data(plain, personal, product):
    for built in (plain, product):
        text = about_text(built)
        assert "your current role" not in text.lower()  # no profile: nobody's current role
        assert "the role the source starts from" in text
        example = re.search(r"filter by a word such as “([^”]+)”(?: or “([^”]+)”)?", text)
        assert example, text
        statements = " ".join(built.column("sheet_best_for", LABELS["best_for"])).casefold()
        for word in filter(None, example.groups()):
            assert word in statements  # every example really filters something
    assert "your current role" in about_text(personal).lower()


def test_chart_alt_text_keywords_and_language(plain, personal):
    drawing = next(v for k, v in personal.parts.items() if k.startswith("xl/drawings/drawing"))
    alt = re.search(r'<cNvPr [^>]*descr="([^"]+)"', drawing)
    assert alt and all(f"{f.role}: {f.score} of 100" in alt.group(1) for f in personal.report.fits)
    for built in (plain, personal):
        props = built.wb.properties
        assert props.language == "en"
        assert props.keywords.split(", ") == [r.name for r in built.report.guide.alternatives]


# --- safety ----------------------------------------------------------------------------------


def test_no_formula_anywhere(any_built):
    for cell in any_built.cells():
        assert cell.data_type != "f", cell.coordinate
    for name, xml in any_built.parts.items():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in xml and "<f " not in xml
    assert not any("hyperlink" in n.lower() for n in any_built.parts)


def test_hostile_text_stays_literal(hostile):
    g = hostile.report.guide
    roles = hostile.sheet("sheet_roles")
    names = hostile.column("sheet_roles", LABELS["role"])
    assert names[0] == "@subject"
    assert set(names[1:]) == {r.name for r in g.alternatives}
    xml = hostile.parts["xl/worksheets/sheet1.xml"]
    cells = {c.value: c for c in hostile.cells() if isinstance(c.value, str)}
    for value in HOSTILE:
        assert value in cells, repr(value)
        assert cells[value].data_type == "s"
    assert re.search(r'<c r="C\d+" [^>]*t="inlineStr"><is><t>=HYPERLINK\("http://x"\)</t></is></c>', xml)
    assert roles["A1"].value.endswith('=HYPERLINK("http://evil")')
    assert "Your “=2+2” matches “+cmd” (Tools)." in hostile.column("sheet_fit", LABELS["why"])
    best = hostile.column("sheet_best_for", LABELS["best_for"])
    assert "=1+1" in best and "+x" in best


def test_hostile_cells_are_quote_prefixed(hostile):
    ws = hostile.sheet("sheet_roles")
    risky = [c for c in hostile.cells() if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
    assert risky and all(c.quotePrefix for c in risky)
    assert ws.cell(row=HEADER_ROW + 2, column=3).quotePrefix


def test_control_characters_do_not_break_the_workbook(ctx, guide):
    g = guide.model_copy(update={"title": "Bell\x07 title", "subject": guide.subject.model_copy(
        update={"name": "Null\x00 role\x1b"})})
    built = Built(Report(guide=g, source=SOURCE_INFO), ctx)
    assert built.column("sheet_roles", LABELS["role"])[0] == "Null role"


# --- reproducible ----------------------------------------------------------------------------


def test_two_builds_byte_identical(plain, personal, guide):
    again = Context.create()  # a fresh process's context gives the same bytes as a warm one
    assert render(plain.report, again) == plain.data
    assert render(personal.report, again) == personal.data
    assert render(personal.report, again) == personal.data


def test_fixed_dates_and_zip_entries(plain):
    props = plain.wb.properties
    midnight = dt.datetime(2026, 1, 1)
    assert props.created == props.modified == midnight
    assert props.creator == props.lastModifiedBy == Context.create().theme.organisation
    assert props.title == plain.report.guide.title
    assert {i.date_time for i in plain.infos} == {(2026, 1, 1, 0, 0, 0)}
    assert plain.infos[0].filename == "[Content_Types].xml"
    names = [i.filename for i in plain.infos]
    assert names[2:] == sorted(names[2:])


def test_registry_and_cli(cli, tmp_path):
    assert renderer("xlsx") is render
    code, _, err = cli("report", "--format", "xlsx", "--out", tmp_path)
    assert code == 0, err
    wb = load_workbook(tmp_path / "role-matrix.xlsx")
    assert wb.sheetnames[0] == LABELS["sheet_roles"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it(personal, tmp_path):
    path = tmp_path / "role-matrix.xlsx"
    path.write_bytes(personal.data)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=120)
    assert (tmp_path / "role-matrix.pdf").stat().st_size > 1000


def test_no_best_for_statements_still_a_valid_table(ctx, guide):
    bare = guide.model_copy(update={"alternatives": tuple(r.model_copy(update={"best_for": ()})
                                                          for r in guide.alternatives)})
    built = Built(Report(guide=bare, source=SOURCE_INFO), ctx)
    ws = built.sheet("sheet_best_for")
    assert ws.tables["BestForTable"].ref == f"A{HEADER_ROW}:D{HEADER_ROW + 1}"
    assert all(c.value is None for c in ws[HEADER_ROW + 1])


def test_theme_colours_and_organisation(guide):
    from rolereport.inputs.theme import Theme

    base = Context.create()
    themed = Context(theme=Theme(organisation="Acme People Team", accent="#7A1F5C"), templates=base.templates)
    built = Built(Report(guide=guide, source=SOURCE_INFO), themed)
    header = built.sheet("sheet_roles").cell(row=HEADER_ROW, column=1)
    assert header.fill.fgColor.rgb == "FF7A1F5C"
    assert built.wb.properties.creator == "Acme People Team"
    assert "Acme People Team" in about_text(built)


# --- what the profile adds -------------------------------------------------------------------


def test_cautions_in_their_own_column(ctx, guide):
    fits = synthetic_fits(guide, [30, 85, 10, 85, 55])
    caution = Evidence(profile_text="on-call rotas", source_text="on-call support", field="description")
    fits = (fits[0].model_copy(update={"cautions": (caution,)}),) + fits[1:]
    built = Built(Report(guide=guide, source=SOURCE_INFO, profile=PROFILE, fits=fits), ctx)
    cautions = built.column("sheet_fit", LABELS["caution"])
    assert "“on-call rotas”" in cautions[0] and "“on-call support”" in cautions[0]
    assert all(c is None for c in cautions[1:])
    assert not any(LABELS["caution"] in (w or "") or "leave" in (w or "")
                   for w in built.column("sheet_fit", LABELS["why"]))


def test_a_profile_too_short_to_score_says_so(ctx, guide):
    note = "The profile says too little to rank by (1 word to go on): add a few interests."
    fits = tuple(f.model_copy(update={"score": 0, "band": band_for(0), "evidence": ()})
                 for f in synthetic_fits(guide, [0] * len(guide.alternatives)))
    built = Built(Report(guide=guide, source=SOURCE_INFO, profile=Profile(name="Sam"), fits=fits,
                         fit_notes=(note,)), ctx)
    assert built.sheet("sheet_fit")["A2"].value == note  # under the sheet's title, in bold
    assert built.sheet("sheet_fit")["A2"].font.b
    assert note in about_text(built)
    assert note not in about_text(Built(Report(guide=guide, source=SOURCE_INFO, profile=Profile(name="Sam"),
                                               fits=fits), ctx))


def test_about_sheet_reworded_by_a_template_folder(guide, tmp_path):
    from rolereport.render.templating import Templates

    (tmp_path / "xlsx").mkdir()
    (tmp_path / "xlsx" / "about.txt.j2").write_text(
        "# Read me first\nWhat | {{ n }} roles beside {{ subject }}.\n\n## Help\nAsk | your coach\n",
        encoding="utf-8")
    base = Context.create()
    built = Built(Report(guide=guide, source=SOURCE_INFO), Context(theme=base.theme, templates=Templates(tmp_path)))
    rows = [tuple(v for v in row if v is not None)
            for row in built.sheet("sheet_about").iter_rows(values_only=True)]
    assert rows == [("Read me first",), ("What", f"{len(guide.alternatives)} roles beside {guide.subject.name}."),
                    (), ("Help",), ("Ask", "your coach")]
