"""Published events of courses, their media libraries and certificate templates
(application ``catalog``).

Each model matches its domain event class, minus private fields;
tests/unit/test_published_payloads.py fails when the two disagree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from schemas.published.base import PublishedPayload, Uuid


class CourseCreated(PublishedPayload):
    NAME: ClassVar[str] = "Course.Created"
    instructor_id: Uuid
    title: str
    description: str
    category: str
    difficulty: str
    duration_minutes: int
    price: int
    currency: str
    cover_image_url: str | None


class CourseArchived(PublishedPayload):
    NAME: ClassVar[str] = "Course.Archived"


class CourseCertificateTemplateAssigned(PublishedPayload):
    NAME: ClassVar[str] = "Course.CertificateTemplateAssigned"
    template_id: str | None


class CourseCoursePrerequisitesSet(PublishedPayload):
    NAME: ClassVar[str] = "Course.CoursePrerequisitesSet"
    prerequisite_course_ids: list[Any]


class CourseDetailsUpdated(PublishedPayload):
    NAME: ClassVar[str] = "Course.DetailsUpdated"
    changes: dict[str, Any]


class CourseLessonAdded(PublishedPayload):
    NAME: ClassVar[str] = "Course.LessonAdded"
    VERSION: ClassVar[int] = 2
    module_id: str
    lesson_id: str
    title: str
    type: str
    url: str | None
    content: str | None
    status: str
    position: int | None
    duration_seconds: int | None


class CourseLessonMoved(PublishedPayload):
    NAME: ClassVar[str] = "Course.LessonMoved"
    lesson_id: str
    module_id: str
    position: int


class CourseLessonRemoved(PublishedPayload):
    NAME: ClassVar[str] = "Course.LessonRemoved"
    lesson_id: str


class CourseLessonUpdated(PublishedPayload):
    NAME: ClassVar[str] = "Course.LessonUpdated"
    lesson_id: str
    changes: dict[str, Any]


class CourseLessonsReordered(PublishedPayload):
    NAME: ClassVar[str] = "Course.LessonsReordered"
    module_id: str
    lesson_ids: list[Any]


class CourseModuleAdded(PublishedPayload):
    NAME: ClassVar[str] = "Course.ModuleAdded"
    module_id: str
    title: str
    status: str
    position: int | None


class CourseModulePrerequisitesSet(PublishedPayload):
    NAME: ClassVar[str] = "Course.ModulePrerequisitesSet"
    module_id: str
    prerequisite_module_ids: list[Any]


class CourseModuleRemoved(PublishedPayload):
    NAME: ClassVar[str] = "Course.ModuleRemoved"
    module_id: str


class CourseModuleUpdated(PublishedPayload):
    NAME: ClassVar[str] = "Course.ModuleUpdated"
    module_id: str
    changes: dict[str, Any]


class CourseModulesReordered(PublishedPayload):
    NAME: ClassVar[str] = "Course.ModulesReordered"
    module_ids: list[Any]


class CoursePublished(PublishedPayload):
    NAME: ClassVar[str] = "Course.Published"


class CourseQuizRemoved(PublishedPayload):
    NAME: ClassVar[str] = "Course.QuizRemoved"
    lesson_id: str


class CourseQuizSet(PublishedPayload):
    NAME: ClassVar[str] = "Course.QuizSet"
    lesson_id: str
    quiz: dict[str, Any]


class CourseSequencingChanged(PublishedPayload):
    NAME: ClassVar[str] = "Course.SequencingChanged"
    sequential: bool


class CourseUnpublished(PublishedPayload):
    NAME: ClassVar[str] = "Course.Unpublished"


class MediaLibraryCreated(PublishedPayload):
    NAME: ClassVar[str] = "MediaLibrary.Created"
    course_id: Uuid


class MediaLibraryMediaAdded(PublishedPayload):
    NAME: ClassVar[str] = "MediaLibrary.MediaAdded"
    course_id: Uuid
    media_id: Uuid
    index: int
    media_type: str
    content_type: str
    filename: str
    size: int
    storage_key: str
    uploaded_by: Uuid


class CertificateTemplateCreated(PublishedPayload):
    NAME: ClassVar[str] = "CertificateTemplate.Created"
    name: str
    design: dict[str, Any]
    created_by: Uuid


class CertificateTemplateRevised(PublishedPayload):
    NAME: ClassVar[str] = "CertificateTemplate.Revised"
    name: str
    design: dict[str, Any]
    revision: int
    revised_by: Uuid
