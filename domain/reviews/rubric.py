"""A module's rubric: the range a rating takes and, optionally, criteria scored in that range.

Without criteria a review is one rating; with criteria every criterion is scored too, so the
submitter can be shown the median of each (a median, since one harsh or generous reviewer
should not move it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import InvalidInputError

MAX_CRITERIA = 20


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[str, ...] = ()
    min_rating: float = 1
    max_rating: float = 5

    def __post_init__(self) -> None:
        if self.min_rating >= self.max_rating:
            raise InvalidInputError("minRating must be below maxRating")
        if len(set(self.criteria)) != len(self.criteria) or len(self.criteria) > MAX_CRITERIA:
            raise InvalidInputError(f"Criteria must be distinct, at most {MAX_CRITERIA}")
        if any(not name.strip() for name in self.criteria):
            raise InvalidInputError("A criterion needs a name")

    def check(self, rating: float, scores: Mapping[str, float]) -> None:
        """Refuse a rating or criterion score outside the range, or scores not the criteria's."""
        self.check_score("rating", rating)
        if set(scores) != set(self.criteria):
            expected = ", ".join(self.criteria) or "none"
            raise InvalidInputError(f"Score exactly the rubric's criteria ({expected})")
        for name, score in scores.items():
            self.check_score(name, score)

    def check_score(self, name: str, score: float) -> None:
        if not self.min_rating <= score <= self.max_rating:
            raise InvalidInputError(
                f"{name} must be between {self.min_rating:g} and {self.max_rating:g}"
            )
