"""Render a certificate as its course's template designs it: page size and orientation, colours,
logo, a title and body with the certificate's values in their placeholders, and signatures.

Every certificate keeps what makes it verifiable whatever the design: the frame, the unique
id, the verification URL and its QR code, and the stamp when revoked. Text never leaves the
page: the title and each paragraph wrap at word boundaries, and the body shrinks as a whole
until it fits between the title and the signatures. A body paragraph that is a placeholder
alone (``{learner}``) is set large, as the default layout sets the learner and the course.
Images that cannot be read are left out rather than failing the download. Output is
byte-for-byte the same for the same inputs (reportlab's invariant mode).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER, landscape, portrait
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from domain.courses.certificate_design import BRACED, PLACEHOLDERS, Design, filled
from infra.certificates.pdf import MARGIN, Page, fonts

PAGES = {"A4": A4, "Letter": LETTER}
SIGNATURE_LINE = 176  # the signature lines' height above the page's foot
BODY_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)


@dataclass(frozen=True)
class Paragraph:
    lines: list[str]
    bold: bool
    size: float
    colour: Color

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * 1.3


def render_templated_certificate(
    *,
    design: Design,
    values: dict[str, str],
    images: dict[str, bytes],
    unique_id: str,
    verification_url: str,
    revoked: bool = False,
) -> bytes:
    """The PDF; ``values`` fill the placeholders and ``images`` holds each image's bytes by
    media id (one missing is left out)."""
    size = PAGES[design.page_size]
    width, height = landscape(size) if design.orientation == "landscape" else portrait(size)
    out = io.BytesIO()
    page = Page(Canvas(out, pagesize=(width, height), invariant=True), fonts(), width, height)
    layout = Layout(page, design, images)
    title = filled(design.title, values)
    page.canvas.setTitle(title)
    page.canvas.setSubject(unique_id)
    page.frame(layout.primary, layout.accent)
    top = layout.logo(height - MARGIN - 36)
    body_top = layout.title(title, top)
    foot = layout.signatures()
    # Filled paragraph by paragraph: a value holding a line break stays in its paragraph.
    body = [(filled(p, values), is_placeholder(p)) for p in design.body.split("\n")]
    layout.body(body, body_top, foot)
    page.verification(unique_id, verification_url)
    if revoked:
        page.stamp("REVOKED")
    page.canvas.showPage()
    page.canvas.save()
    return out.getvalue()


class Layout:
    def __init__(self, page: Page, design: Design, images: dict[str, bytes]) -> None:
        self.page, self.design, self.images = page, design, images
        self.canvas, self.fonts = page.canvas, page.fonts
        self.primary = HexColor(design.colours["primary"])
        self.accent = HexColor(design.colours["accent"])
        self.text = HexColor(design.colours["text"])
        self.text_width = page.width - 2 * MARGIN - 100

    def logo(self, top: float) -> float:
        """The logo centred under ``top``; answers where what follows may start."""
        if self.design.logo is None:
            return top - 8
        drawn = self.image(self.design.logo.media_id, self.page.width / 2, top, 180, 64)
        return top - drawn - 16 if drawn else top - 8

    def title(self, title: str, top: float) -> float:
        lines, size = wrapped(title, self.fonts.bold, 32, self.text_width, 3)
        y = top - size
        for line in lines:
            self.page.write(line, self.page.width / 2, y, size, centre=True, bold=True,
                            colour=self.primary, width=self.text_width)  # fmt: skip
            y -= size * 1.2
        self.canvas.setStrokeColor(self.accent)
        self.canvas.setLineWidth(1)
        rule = y + size * 1.2 - 14
        self.canvas.line(self.page.width / 2 - 90, rule, self.page.width / 2 + 90, rule)
        return rule - 18

    def body(self, body: list[tuple[str, bool]], top: float, bottom: float) -> None:
        """The body's paragraphs (text, and whether it is a featured placeholder), centred
        between ``top`` and ``bottom``, shrunk to fit."""
        for scale in BODY_SCALES:
            paragraphs = [self.paragraph(text, featured, scale) for text, featured in body]
            gap = 10 * scale
            needed = sum(p.height for p in paragraphs) + gap * (len(paragraphs) - 1)
            if needed <= top - bottom:
                break
        y = top - max(0.0, (top - bottom - needed) / 2)
        for paragraph in paragraphs:
            for line in paragraph.lines:
                y -= paragraph.size
                self.page.write(line, self.page.width / 2, y, paragraph.size, centre=True,
                                bold=paragraph.bold, colour=paragraph.colour,
                                width=self.text_width)  # fmt: skip
                y -= paragraph.size * 0.3
            y -= gap

    def paragraph(self, text: str, featured: bool, scale: float) -> Paragraph:
        font = self.fonts.bold if featured else self.fonts.regular
        size, most = (30, 2) if featured else (15, 40)  # a name on two lines at most
        lines, size = wrapped(text, font, size * scale, self.text_width, most)
        return Paragraph(lines, featured, size, self.primary if featured else self.text)

    def signatures(self) -> float:
        """The signatures side by side above the foot; answers how low the body may reach."""
        signatures = self.design.signatures
        if not signatures:
            return SIGNATURE_LINE - 20
        column = (self.page.width - 2 * MARGIN - 40) / len(signatures)
        line_width = min(200.0, column - 24)
        highest = SIGNATURE_LINE
        for i, signature in enumerate(signatures):
            x = MARGIN + 20 + column * (i + 0.5)
            if signature.image is not None:
                drawn = self.image(signature.image.media_id, x, SIGNATURE_LINE + 50, line_width, 44)
                highest = max(highest, SIGNATURE_LINE + 6 + drawn)
            self.canvas.setStrokeColor(self.text)
            self.canvas.setLineWidth(0.6)
            self.canvas.line(x - line_width / 2, SIGNATURE_LINE, x + line_width / 2, SIGNATURE_LINE)
            self.page.write(signature.name, x, SIGNATURE_LINE - 15, 12, width=line_width,
                            centre=True, bold=True, colour=self.primary)  # fmt: skip
            self.page.write(signature.title, x, SIGNATURE_LINE - 28, 10, width=line_width,
                            centre=True, colour=self.text)  # fmt: skip
        return highest + 16

    def image(self, media_id: str, centre: float, top: float, width: float, height: float) -> float:
        """The image scaled into ``width`` by ``height``, centred on ``centre`` under ``top``;
        answers the height drawn (0 when the bytes are missing or no image)."""
        try:
            reader = ImageReader(io.BytesIO(self.images[media_id]))
            natural_width, natural_height = reader.getSize()
            scale = min(width / natural_width, height / natural_height)
            w, h = natural_width * scale, natural_height * scale
            self.canvas.drawImage(reader, centre - w / 2, top - h, w, h, mask="auto")
        except Exception:  # a broken logo must not cost the learner the certificate
            return 0
        return h


def is_placeholder(paragraph: str) -> bool:
    found = BRACED.fullmatch(paragraph.strip())
    return found is not None and found.group(1) in PLACEHOLDERS


def wrapped(text: str, font: str, size: float, width: float, most: int) -> tuple[list[str], float]:
    """``text`` in lines no wider than ``width``: at most ``most`` lines, the size shrunk
    until it fits in as many (a single word too wide for a line shrinks alone when drawn)."""
    while True:
        lines = lines_of(text, font, size, width)
        if len(lines) <= most or size <= 6:
            return lines, size
        size *= 0.9


def lines_of(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and pdfmetrics.stringWidth(candidate, font, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]
