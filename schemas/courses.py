"""Requests and responses of the course endpoints (spec §2 Course Service, §10 Admin)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from schemas.auth import Url
from schemas.base import CamelModel

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Difficulty = Literal["Beginner", "Intermediate", "Advanced"]
PartStatus = Literal["draft", "published"]
LessonType = Literal["VIDEO", "PDF", "QUIZ", "ARTICLE", "LIVE_SESSION", "CODE_SANDBOX"]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Order = Annotated[int, Field(ge=1, le=10_000)]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Description = Annotated[str, StringConstraints(max_length=20_000)]
MAX_MINUTES = 100_000
Minutes = Annotated[int, Field(ge=0, le=MAX_MINUTES)]
LessonSeconds = Annotated[int, Field(ge=0, le=24 * 3600)]
PartId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
# What learners must complete first: the module's (or course's) prerequisites, at most these.
ModuleIds = Annotated[list[PartId], Field(max_length=200)]
CourseIds = Annotated[list[UUID], Field(max_length=50)]


def two_decimals(value: Decimal) -> Decimal:
    if value.as_tuple().exponent < -2:
        raise ValueError("at most two decimal places")
    return value


Price = Annotated[Decimal, Field(ge=0, le=100_000_000), AfterValidator(two_decimals)]


class LessonCreateRequest(CamelModel):
    title: Title
    type: LessonType
    url: Url | None = None
    content: Annotated[str, StringConstraints(max_length=200_000)] | None = None
    status: PartStatus = "draft"
    order: Order | None = None
    duration_seconds: LessonSeconds | None = None

    @model_validator(mode="after")
    def has_material(self) -> LessonCreateRequest:
        if not self.url and not self.content:
            raise ValueError("a lesson needs a url or content")
        return self


class LessonUpdateRequest(CamelModel):
    title: Title | None = None
    type: LessonType | None = None
    url: Url | None = None
    content: Annotated[str, StringConstraints(max_length=200_000)] | None = None
    status: PartStatus | None = None
    order: Order | None = None
    module_id: str | None = None
    duration_seconds: LessonSeconds | None = None


class ModuleCreateRequest(CamelModel):
    title: Title
    status: PartStatus = "draft"
    order: Order | None = None
    lessons: list[LessonCreateRequest] = Field(default_factory=list, max_length=500)
    prerequisite_module_ids: ModuleIds = Field(
        default_factory=list, description="modules of the course to complete before this one"
    )


class ModuleUpdateRequest(CamelModel):
    title: Title | None = None
    status: PartStatus | None = None
    order: Order | None = None
    prerequisite_module_ids: ModuleIds | None = Field(
        None, description="modules of the course to complete before this one ([]: none)"
    )


class CourseFields(CamelModel):
    description: Description | None = None
    category: Category | None = None
    difficulty: Difficulty | None = None
    duration: Minutes | None = None
    price: Price | None = None
    currency: Currency | None = None
    cover_image_url: Url | None = None


class CourseCreateRequest(CourseFields):
    title: Title
    description: Description = ""
    category: Category
    difficulty: Difficulty
    duration: Minutes = 0
    price: Price = Decimal(0)
    currency: Currency = "NGN"
    instructor_id: str | None = None
    status: PartStatus = "draft"
    modules: list[ModuleCreateRequest] = Field(default_factory=list, max_length=200)
    sequential: bool = Field(False, description="each lesson unlocks when the one before is done")
    prerequisite_course_ids: CourseIds = Field(
        default_factory=list, description="courses a learner completes before enrolling"
    )


class CourseUpdateRequest(CourseFields):
    title: Title | None = None
    sequential: bool | None = Field(
        None, description="each lesson unlocks when the one before is done"
    )
    prerequisite_course_ids: CourseIds | None = Field(
        None, description="courses a learner completes before enrolling ([]: none)"
    )


class ModuleOrderRequest(CamelModel):
    module_ids: list[str] = Field(min_length=1, max_length=200)


class LessonOrderRequest(CamelModel):
    lesson_ids: list[str] = Field(min_length=1, max_length=500)


class CreatedResponse(CamelModel):
    message: str
    course_id: str | None = None
    module_id: str | None = None
    lesson_id: str | None = None


class CourseSummaryView(CamelModel):
    course_id: str
    title: str
    instructor: str | None
    instructor_id: str
    rating: float | None
    rating_count: int
    duration: int
    category: str
    cover_image_url: str | None
    description: str
    price: float
    currency: str
    difficulty: str
    module_count: int
    status: str


class CatalogPage(CamelModel):
    courses: list[CourseSummaryView]
    page: int
    page_size: int
    total: int


class UnlockedByView(CamelModel):
    """What the caller still has to complete before an item unlocks: nothing when it is open."""

    lesson_ids: list[str] = Field(default_factory=list)
    module_ids: list[str] = Field(default_factory=list)
    course_ids: list[str] = Field(default_factory=list)


class LessonView(CamelModel):
    id: str
    title: str
    type: str
    url: str | None
    content: str | None
    order: int
    status: str
    duration_seconds: int | None = None  # as its author gave it; none for older lessons
    locked: bool = False  # for the caller; the course's instructor and admins never are
    unlocked_by: UnlockedByView = Field(default_factory=UnlockedByView)


class ModuleView(CamelModel):
    id: str
    title: str
    order: int
    status: str
    lessons: list[LessonView]
    prerequisite_module_ids: list[str] = Field(default_factory=list)
    locked: bool = False
    unlocked_by: UnlockedByView = Field(default_factory=UnlockedByView)


class CourseStructureView(CamelModel):
    course_id: str
    title: str
    status: str
    instructor_id: str
    modules: list[ModuleView]
    sequential: bool = False  # each lesson unlocks when the one before is complete
    prerequisite_course_ids: list[str] = Field(default_factory=list)
    locked: bool = False  # the caller may not enroll yet: see unlockedBy.courseIds
    unlocked_by: UnlockedByView = Field(default_factory=UnlockedByView)
