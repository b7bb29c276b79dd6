"""How a certificate looks, apart from the CertificateTemplate aggregate that keeps its
revisions: the design (title, body with placeholders, colours, logo, signatures, page size and
orientation), the rules a design must keep, and the errors for one that breaks them or a
template that does not exist. Renderers and the read API speak of designs without reaching
into the aggregate.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from domain.courses.media_files import Image
from domain.errors import InvalidInputError, NotFoundError

PLACEHOLDERS = ("learner", "course", "date", "grade", "instructor")
PAGE_SIZES = ("A4", "Letter")
ORIENTATIONS = ("portrait", "landscape")
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
BRACED = re.compile(r"\{([^{}]*)\}")
MAX_NAME, MAX_TITLE, MAX_BODY, MAX_SIGNATURES = 100, 120, 1000, 3
MAX_SIGNER, MAX_IMAGE_BYTES = 80, 2 * 1024 * 1024
DEFAULT_COLOURS = {"primary": "#1F2A44", "accent": "#B08D57", "text": "#5B6270"}


class CertificateTemplateNotFoundError(NotFoundError):
    """No certificate template has this id."""

    message = "Certificate template not found"


class InvalidTemplateError(InvalidInputError):
    """A design the renderer could not honour: an unknown placeholder, a colour that is not
    #RRGGBB, a page size or image it does not know, text longer than a certificate holds."""

    message = "Invalid certificate template"


@dataclass(frozen=True)
class Signature:
    name: str
    title: str
    image: Image | None = None


@dataclass(frozen=True)
class Design:
    title: str
    body: str
    colours: dict[str, str]
    page_size: str = "A4"
    orientation: str = "landscape"
    logo: Image | None = None
    signatures: tuple[Signature, ...] = ()

    def checked(self) -> Design:
        """This design, or ``InvalidTemplateError`` naming the first thing wrong with it."""
        check(bool(self.title.strip()) and len(self.title) <= MAX_TITLE, "title", "1 to 120 chars")
        check(len(self.body) <= MAX_BODY, "body", "at most 1000 characters")
        for field in ("title", "body"):
            unknown = set(BRACED.findall(getattr(self, field))) - set(PLACEHOLDERS)
            check(not unknown, field, f"placeholders are {', '.join(map(braced, PLACEHOLDERS))}")
        check(set(self.colours) == set(DEFAULT_COLOURS), "colours", "primary, accent and text")
        check(all(COLOUR.fullmatch(c) for c in self.colours.values()), "colours", "#RRGGBB")
        check(self.page_size in PAGE_SIZES, "pageSize", " or ".join(PAGE_SIZES))
        check(self.orientation in ORIENTATIONS, "orientation", " or ".join(ORIENTATIONS))
        check(len(self.signatures) <= MAX_SIGNATURES, "signatures", "at most 3")
        for signer in self.signatures:
            fits = 0 < len(signer.name.strip()) <= MAX_SIGNER and len(signer.title) <= MAX_SIGNER
            check(fits, "signatures", "a name of 1 to 80 characters and a title of at most 80")
        for image in self.images():
            check(image.size <= MAX_IMAGE_BYTES, "images", "at most 2 MiB each")
        return self

    def images(self) -> list[Image]:
        return [i for i in (self.logo, *(s.image for s in self.signatures)) if i is not None]

    def as_dict(self) -> dict[str, Any]:
        """Plain data, as events and read models keep it."""
        return asdict(self) | {"signatures": [asdict(s) for s in self.signatures]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Design:
        def image(found: dict[str, Any] | None) -> Image | None:
            return Image(**found) if found else None

        signatures = tuple(
            Signature(s["name"], s["title"], image(s.get("image"))) for s in data["signatures"]
        )
        fields = data | {"logo": image(data.get("logo")), "signatures": signatures}
        return cls(**fields)


def braced(name: str) -> str:
    return "{" + name + "}"


def check(ok: bool, field: str, rule: str) -> None:
    if not ok:
        raise InvalidTemplateError(f"Invalid certificate template: {field}: {rule}", {field: rule})


def filled(text: str, values: dict[str, str]) -> str:
    """``text`` with each known placeholder replaced; ``values`` names them all."""
    return BRACED.sub(lambda m: values.get(m.group(1), m.group(0)), text)
