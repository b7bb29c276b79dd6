"""Render a certificate of completion as a one-page PDF (landscape A4) with reportlab: the
default layout, for courses without a certificate template (``templated.py`` draws those).

Every word is real text, so the PDF can be searched and read back, and the verification URL
is both printed and drawn as a QR code. Names come in any script: a TrueType font with wide
coverage is embedded (DejaVu Sans when the system has it, else Bitstream Vera, which ships with
reportlab and covers Latin-1); a character the font lacks shows as a blank box, never an error.
The output is byte-for-byte the same for the same inputs (reportlab's invariant mode).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import reportlab
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from infra.certificates.values import long_date

WIDTH, HEIGHT = landscape(A4)
INK, ACCENT, MUTED = HexColor("#1F2A44"), HexColor("#B08D57"), HexColor("#5B6270")
STAMP = Color(0.75, 0.1, 0.1, alpha=0.3)
MARGIN = 20  # the outer frame's distance from the page edge
TEXT_WIDTH = WIDTH - 160
QR_SIZE = 88
SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str


def font_files() -> tuple[tuple[str, Path, Path], ...]:
    """(name, regular, bold) in order of preference; reportlab's own Vera is always there."""
    bundled = Path(reportlab.__file__).parent / "fonts"
    return (
        ("DejaVuSans", SYSTEM_FONTS / "DejaVuSans.ttf", SYSTEM_FONTS / "DejaVuSans-Bold.ttf"),
        ("Vera", bundled / "Vera.ttf", bundled / "VeraBd.ttf"),
    )


@cache
def fonts() -> Fonts:
    # Registered once per process, on first use: reportlab's font registry is global.
    name, regular, bold = next(f for f in font_files() if f[1].is_file() and f[2].is_file())
    chosen = Fonts(f"Certificate-{name}", f"Certificate-{name}-Bold")
    pdfmetrics.registerFont(TTFont(chosen.regular, str(regular)))
    pdfmetrics.registerFont(TTFont(chosen.bold, str(bold)))
    return chosen


def render_certificate(
    *,
    learner_name: str,
    course_title: str,
    instructor_name: str,
    awarded_at: datetime,
    unique_id: str,
    verification_url: str,
    revoked: bool = False,
) -> bytes:
    """The PDF; ``awarded_at`` is the completion (or, for a manual issue, the issue) time.
    A revoked certificate is stamped as such (admins may still download it)."""
    out = io.BytesIO()
    page = Page(Canvas(out, pagesize=(WIDTH, HEIGHT), invariant=True), fonts())
    page.canvas.setTitle("Certificate of Completion")
    page.canvas.setSubject(unique_id)
    page.frame()
    page.headline(learner_name, course_title)
    page.signatures(long_date(awarded_at), instructor_name)
    page.verification(unique_id, verification_url)
    if revoked:
        page.stamp("REVOKED")
    page.canvas.showPage()
    page.canvas.save()
    return out.getvalue()


class Page:
    """Drawing on one page: the frame, text shrunk to fit, the verification and the stamp."""

    def __init__(
        self, canvas: Canvas, fonts: Fonts, width: float = WIDTH, height: float = HEIGHT
    ) -> None:
        self.canvas, self.fonts = canvas, fonts
        self.width, self.height = width, height

    def frame(self, outer: Color = INK, inner: Color = ACCENT) -> None:
        c, width, height = self.canvas, self.width, self.height
        c.setStrokeColor(outer)
        c.setLineWidth(3)
        c.rect(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN)
        c.setStrokeColor(inner)
        c.setLineWidth(0.8)
        c.rect(MARGIN + 8, MARGIN + 8, width - 2 * MARGIN - 16, height - 2 * MARGIN - 16)

    def headline(self, learner_name: str, course_title: str) -> None:
        self.centred("Certificate of Completion", 488, 34, bold=True)
        self.canvas.setStrokeColor(ACCENT)
        self.canvas.line(WIDTH / 2 - 90, 472, WIDTH / 2 + 90, 472)
        self.centred("This certifies that", 430, 14, colour=MUTED)
        self.centred(learner_name, 382, 36, bold=True)
        self.centred("has completed", 344, 14, colour=MUTED)
        self.centred(course_title, 304, 24, bold=True)

    def signatures(self, date: str, instructor_name: str) -> None:
        columns = (
            (WIDTH / 2 - 180, date, "Date"),
            (WIDTH / 2 + 180, instructor_name, "Instructor"),
        )
        for x, value, label in columns:
            self.write(value, x, 198, 14, width=220, centre=True)
            self.canvas.setStrokeColor(MUTED)
            self.canvas.setLineWidth(0.6)
            self.canvas.line(x - 115, 190, x + 115, 190)
            self.write(label, x, 176, 10, centre=True, colour=MUTED)

    def verification(self, unique_id: str, url: str) -> None:
        qr_x, qr_y = self.width - MARGIN - 16 - QR_SIZE, MARGIN + 16
        self.qr(url, qr_x, qr_y)
        self.write(
            "Scan to verify", qr_x + QR_SIZE / 2, qr_y + QR_SIZE + 4, 8, centre=True, colour=MUTED
        )
        left, width = MARGIN + 24, qr_x - MARGIN - 40
        self.write(f"Certificate ID: {unique_id}", left, 66, 10, width=width, bold=True)
        self.write(f"Verify at {url}", left, 50, 8, width=width, colour=MUTED)

    def qr(self, url: str, x: float, y: float) -> None:
        # Drawn at its size: measuring the widget first would encode the code twice (choosing
        # its mask takes most of a certificate's rendering).
        drawing = Drawing(QR_SIZE, QR_SIZE)
        drawing.add(QrCodeWidget(url, barWidth=QR_SIZE, barHeight=QR_SIZE))
        renderPDF.draw(drawing, self.canvas, x, y)

    def stamp(self, word: str) -> None:
        c = self.canvas
        c.saveState()
        c.translate(self.width / 2, self.height / 2)
        c.rotate(24 if self.width > self.height else 54)  # along the page's diagonal
        c.setFillColor(STAMP)
        c.setFont(self.fonts.bold, 110)
        c.drawCentredString(0, -40, word)
        c.restoreState()

    def centred(
        self, text: str, y: float, size: float, *, bold: bool = False, colour: Color = INK
    ) -> None:
        self.write(text, self.width / 2, y, size, centre=True, bold=bold, colour=colour)

    def write(
        self,
        text: str,
        x: float,
        y: float,
        size: float,
        *,
        width: float = TEXT_WIDTH,
        centre: bool = False,
        bold: bool = False,
        colour: Color = INK,
    ) -> None:
        font = self.fonts.bold if bold else self.fonts.regular
        text, size = self.fitted(text, font, size, width)
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(colour)
        draw = self.canvas.drawCentredString if centre else self.canvas.drawString
        draw(x, y, text)

    @staticmethod
    def fitted(text: str, font: str, size: float, width: float) -> tuple[str, float]:
        """NFC (so a decomposed accent finds its precomposed glyph), shrunk to fit ``width``."""
        text = unicodedata.normalize("NFC", text)
        natural = pdfmetrics.stringWidth(text, font, size)
        return text, size if natural <= width else size * width / natural
