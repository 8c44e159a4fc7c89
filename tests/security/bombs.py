"""Hostile inputs made on the fly (never committed as blobs): each function writes one file into a
folder and returns its path. Sizes are chosen so that a reader without limits would take minutes
or gigabytes, while the file itself stays small."""

from __future__ import annotations

import io
import socket
import struct
import zipfile
import zlib
from pathlib import Path

from conftest import DEFAULT_SOURCE

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.wordprocessingml.document.main+xml"/></Types>')


def _lie_about_sizes(data: bytes, declared: int = 4096) -> bytes:
    """Rewrite every size a zip declares (local headers and central directory) to `declared`."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x03\x04", at)) >= 0:
        struct.pack_into("<I", out, at + 22, declared)
        at += 4
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        struct.pack_into("<I", out, at + 24, declared)
        at += 4
    return bytes(out)


def _docx(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, body in parts.items():
            z.writestr(name, body)
    return buf.getvalue()


def _document(body: str) -> bytes:
    return f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>'.encode()


def lying_docx(folder: Path, unpacked_mb: int = 300) -> Path:
    """A DOCX whose document.xml inflates to `unpacked_mb` MB but declares 4,096 bytes."""
    filler = b"<w:p/>" * (unpacked_mb * 1024 * 1024 // 6)
    data = _docx({"word/document.xml": b'<?xml version="1.0"?><w:document ' + W.encode() + b"><w:body>" + filler
                  + b"</w:body></w:document>"})
    path = folder / "lying.docx"
    path.write_bytes(_lie_about_sizes(data))
    return path


def honest_bomb_docx(folder: Path, unpacked_mb: int = 300) -> Path:
    """A DOCX that inflates to `unpacked_mb` MB and says so (Python's zip reader stops a member at
    its declared size, so a lie is caught by the checksum; this one is stopped by the count)."""
    filler = b"<w:p/>" * (unpacked_mb * 1024 * 1024 // 6)
    data = _docx({"word/document.xml": b"<w:document " + W.encode() + b"><w:body>" + filler
                  + b"</w:body></w:document>"})
    path = folder / "bomb.docx"
    path.write_bytes(data)
    return path


def lying_odt(folder: Path, unpacked_mb: int = 300) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", b"<office:document-content/>" + b" " * (unpacked_mb * 1024 * 1024))
    path = folder / "lying.odt"
    path.write_bytes(_lie_about_sizes(buf.getvalue()))
    return path


def huge_mimetype(folder: Path, unpacked_mb: int = 1024) -> Path:
    """A zip without an extension whose `mimetype` member inflates to a gigabyte (for the sniffer)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("mimetype", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            member.write(b"application/vnd.oasis.opendocument.text")
            for _ in range(unpacked_mb):
                member.write(chunk)
    path = folder / "page-without-extension"
    path.write_bytes(buf.getvalue())
    return path


def billion_laughs_docx(folder: Path) -> Path:
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{k} "{("&a" + str(k - 1) + ";") * 10}">' for k in range(1, 10))
    body = (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document {W}><w:body><w:p><w:r><w:t>&a9;'
            "</w:t></w:r></w:p></w:body></w:document>")
    path = folder / "laughs.docx"
    path.write_bytes(_docx({"word/document.xml": body.encode()}))
    return path


def bad_ilvl_docx(folder: Path) -> Path:
    """A DOCX whose numbering gives a level that is not a number (and a heading numbered by it)."""
    numbering = (f'<?xml version="1.0"?><w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="x">'
                 '<w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="1">'
                 '<w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="one"><w:startOverride w:val="²"/>'
                 "</w:lvlOverride></w:num></w:numbering>")
    body = ('<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="x"/><w:numId w:val="1"/></w:numPr>'
            "</w:pPr><w:r><w:t>Why look beyond</w:t></w:r></w:p>")
    path = folder / "ilvl.docx"
    path.write_bytes(_docx({"word/document.xml": _document(body), "word/numbering.xml": numbering.encode()}))
    return path


def bad_crc_docx(folder: Path) -> Path:
    data = bytearray(_docx({"word/document.xml": _document("<w:p><w:r><w:t>hello</w:t></w:r></w:p>" * 50)}))
    at = data.find(b"PK\x03\x04", data.find(b"word/document.xml") - 40)
    struct.pack_into("<I", data, at + 14, 0x12345678)  # the local header's CRC
    at = data.find(b"PK\x01\x02" + data[at + 4: at + 8])  # and the central directory's, for the same part
    for cd in range(len(data)):
        if data[cd:cd + 4] == b"PK\x01\x02" and data[cd + 46: cd + 46 + 17] == b"word/document.xml":
            struct.pack_into("<I", data, cd + 16, 0x12345678)
    path = folder / "crc.docx"
    path.write_bytes(bytes(data))
    return path


def nested_divs(folder: Path, depth: int = 100_000) -> Path:
    path = folder / "divs.html"
    path.write_text("<html><body>" + "<div>" * depth + "text" + "</div>" * depth + "</body></html>", encoding="utf-8")
    return path


def nested_mhtml(folder: Path, depth: int = 5_000) -> Path:
    """MHTML whose parts nest multipart inside multipart `depth` deep."""
    lines = ["MIME-Version: 1.0"]
    for k in range(depth):
        lines += [f'Content-Type: multipart/related; boundary="b{k}"', "", f"--b{k}"]
    lines += ["Content-Type: text/html", "", "<html><body><p>hi</p></body></html>"]
    for k in reversed(range(depth)):
        lines += [f"--b{k}--"]
    path = folder / "nested.mhtml"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def shared_stream_pdf(folder: Path, pages: int = 2000, operators: int = 400_000) -> Path:
    """One compressed content stream (`operators` text-showing operators) shown on every page."""
    content = zlib.compress(b"BT /F1 1 Tf " + b"1 0 0 1 10 10 Tm (x) Tj " * operators + b"ET", 9)
    kids = " ".join(f"{5 + k} 0 R" for k in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents 4 0 R >>"] * pages
    path = folder / "shared-stream.pdf"
    path.write_bytes(_pdf(objects))
    return path


def one_heavy_page_pdf(folder: Path) -> Path:
    return shared_stream_pdf(folder, pages=150)


def heavy_pages_pdf(folder: Path) -> Path:
    """Pages under the per-page bound, one stream shown on 150 of them: stopped by the total."""
    return shared_stream_pdf(folder, pages=150, operators=5_000)


def bad_xref_pdf(folder: Path) -> Path:
    data = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    path = folder / "bad-xref.pdf"
    path.write_bytes(data.replace(b"startxref\n", b"startxref\n9") )
    return path


def many_roles(folder: Path, roles: int = 12_500) -> Path:
    """A valid page of the family (the bundled one's shape) with `roles` alternatives."""
    lines = ["# Why look beyond Widget Maker", "", "Roles compared.", ""]
    for k in range(1, roles + 1):
        lines += [f"{k}. Role {k} — does thing {k}", "", f"- Focus {k}", ""]
    lines += ["| Role | Primary Focus | Key Responsibility | Common Tools/Frameworks | Typical Deliverable |",
              "|---|---|---|---|---|"]
    lines += ["| Widget Maker | widgets | make | lathe | widgets |"]
    lines += [f"| Role {k} | focus | duty | tools | deliverable |" for k in range(1, roles + 1)]
    lines += ["", "How to pick:", ""] + [f"- If you like {k}: Role {k}" for k in range(1, roles + 1)]
    path = folder / "many-roles.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def empty_rows_xlsx(folder: Path, rows: int = 3_000_000) -> Path:
    """A roster whose sheet holds millions of empty hidden <row> elements after a header."""
    sheet = io.BytesIO()
    sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>')
    sheet.write(b"".join(b'<row r="%d" hidden="1"/>' % r for r in range(2, rows + 2)))
    sheet.write(b"</sheetData></worksheet>")
    buf = io.BytesIO()
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          '<sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wb_rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
               '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    types = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
             '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())
    path = folder / "roster.xlsx"
    path.write_bytes(buf.getvalue())
    return path


def fifo(folder: Path) -> Path:
    import os

    path = folder / "page.txt"
    os.mkfifo(path)
    return path


def zero_link(folder: Path, name: str = "page.txt") -> Path:
    path = folder / name
    path.symlink_to("/dev/zero")
    return path


def unix_socket(folder: Path) -> tuple[Path, socket.socket]:
    path = folder / "page.txt"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    return path, sock


def svg_logos(folder: Path) -> dict[str, Path]:
    """Logos that cannot be drawn: broken XML, an external entity (XXE), and a billion laughs."""
    canary = folder / "secret.txt"
    canary.write_text("SECRET-CANARY", encoding="utf-8")
    laughs = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{k} "{("&a" + str(k - 1) + ";") * 10}">' for k in range(1, 10))
    bodies = {
        "broken": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect',
        "xxe": f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file://{canary}">]>'
               '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>',
        "laughs": f'<?xml version="1.0"?><!DOCTYPE svg [{laughs}]>'
                  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a9;</text></svg>',
    }
    out = {}
    for name, body in bodies.items():
        path = folder / f"{name}.svg"
        path.write_text(body, encoding="utf-8")
        out[name] = path
    return out


def source_text() -> str:
    return DEFAULT_SOURCE.read_text(encoding="utf-8")
