"""The editable Word copy of a printable document: the very HTML the PDF is rendered from,
turned into a .docx (python-docx), so both hold the same headings, numbers and signatures.

Only the elements our document templates use are understood: headings, paragraphs, tables,
lists, definition lists, line breaks; elements hidden from print (`display: none`, the
running title) and charts (SVG, shown in the PDF) are left out.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

SKIP_TAGS = {"style", "script", "title", "svg", "head"}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "li", "dt", "dd", "div"}
SIGN_LINE = "________________"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        from docx import Document
        from docx.shared import Pt

        self.document = Document()
        style = self.document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(12)
        self.skip_depth = 0
        self.stack: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.block: tuple[str, dict] | None = None
        self.table: list[list[tuple[str, bool]]] | None = None
        self.row: list[tuple[str, bool]] | None = None
        self.cell: list[str] | None = None
        self.cell_is_header = False
        self.h2_counter = 0
        self.numbered_h2 = False

    # parsing -------------------------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        style = (attributes.get("style") or "").replace(" ", "")
        hidden = "display:none" in style or "running" in classes or "no-docx" in classes
        if self.skip_depth or tag in SKIP_TAGS or hidden:
            if tag not in ("br", "img", "meta", "link"):
                self.skip_depth += 1
            return
        if tag == "body" and "numbered" in classes:
            self.numbered_h2 = True
        if tag == "table":
            self._flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.cell_is_header = tag == "th"
        elif tag == "br":
            self._write("\n")
        elif tag == "span" and "sign-line" in classes:
            self._write(SIGN_LINE)
        elif tag in BLOCK_TAGS and self.cell is None:
            self._flush()
            self.block = (tag, attributes)
        self.stack.append((tag, attributes))

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag not in ("br", "img", "meta", "link"):
                self.skip_depth -= 1
            return
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append((_clean("".join(self.cell)), self.cell_is_header))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.table is not None:
            if self.row:
                self.table.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self._emit_table(self.table)
            self.table = None
        elif tag in BLOCK_TAGS and self.cell is None:
            self._flush()

    def handle_data(self, data):
        if self.skip_depth:
            return
        self._write(data)

    def _write(self, data: str):
        if self.cell is not None:
            self.cell.append(data)
        elif self.table is None:
            self.text.append(data)

    # output --------------------------------------------------------------------------------

    def _flush(self):
        text = _clean("".join(self.text))
        self.text = []
        tag = self.block[0] if self.block else "p"
        self.block = None
        if not text:
            return
        if tag == "h1":
            self.document.add_heading(text, level=1)
        elif tag == "h2":
            if self.numbered_h2:
                self.h2_counter += 1
                text = f"{self.h2_counter}. {text}"
            self.document.add_heading(text, level=2)
        elif tag in ("h3", "h4"):
            self.document.add_heading(text, level=3)
        elif tag == "li":
            self.document.add_paragraph(text, style="List Bullet")
        elif tag == "dt":
            paragraph = self.document.add_paragraph()
            paragraph.add_run(text).bold = True
        else:
            self.document.add_paragraph(text)

    def _emit_table(self, rows):
        width = max(len(row) for row in rows) if rows else 0
        if not width:
            return
        table = self.document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for row in rows:
            cells = table.add_row().cells
            for index, (text, header) in enumerate(row[:width]):
                cells[index].text = text
                if header:
                    for run in cells[index].paragraphs[0].runs:
                        run.bold = True
        self.document.add_paragraph()

    def close(self):
        super().close()
        self._flush()


def _clean(text: str) -> str:
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def html_to_docx(html: str) -> bytes:
    """The document's HTML as Word (.docx) bytes."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    buffer = io.BytesIO()
    builder.document.save(buffer)
    return buffer.getvalue()


def docx_text(content: bytes) -> str:
    """All the text of a .docx, paragraphs and table cells in order (for tests and checks)."""
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(
                "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            )
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    parts.append(
                        " | ".join(
                            "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                            for cell in row
                            if cell.tag.endswith("}tc")
                        )
                    )
    return "\n".join(part for part in parts if part)
