"""A user's preferences: which channels may notify them, their language and time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidInputError

CHANNELS = ("email", "in_app", "push")
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")  # BCP 47 language with an optional region


@dataclass(frozen=True)
class Preferences:
    channels: tuple[str, ...] = ("email", "in_app")
    language: str = "en"
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        unknown = set(self.channels) - set(CHANNELS)
        if unknown:
            raise InvalidInputError(
                f"Unknown notification channels: {', '.join(sorted(unknown))}; "
                f"choose from {', '.join(CHANNELS)}"
            )
        if len(set(self.channels)) != len(self.channels):
            raise InvalidInputError("A notification channel is listed twice")
        if not LANGUAGE.fullmatch(self.language):
            raise InvalidInputError("language must be a language tag such as 'en' or 'pt-BR'")
