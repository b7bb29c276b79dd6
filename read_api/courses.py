"""The course catalog and a course's structure (spec §2). Students and anonymous callers see
published courses, modules and lessons only; a course's instructor and admins see drafts."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from domain.courses.structure import CourseNotFoundError
from domain.errors import ForbiddenError
from domain.learning.enrollment_terms import enrollment_id_of
from infra.cache import QueryCache
from infra.security.caller_checks import facts_of
from infra.security.tokens import AccessClaims
from infra.web.auth import CurrentUser, MaybeUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with, wanted_by
from read_api.deps import Page, PageSize, ReadModels, Reads
from read_api.queries.courses import SORTS, CatalogQuery, catalog_page, course_row, structure
from read_api.queries.unlocking import enrolling_lock, learner_unlocking
from schemas.courses import MAX_MINUTES, CatalogPage, CourseStructureView

router = APIRouter(prefix="/api/courses", tags=["courses"])
Fresh = Depends(consistent_with("catalog"))


@router.get("/catalog/list", dependencies=[Fresh], responses=documented(CatalogPage, errors=(403,)))
async def list_catalog(
    request: Request,
    reads: Reads,
    viewer: MaybeUser,
    category: str | None = None,
    difficulty: Literal["Beginner", "Intermediate", "Advanced"] | None = None,
    duration: Annotated[
        int | None, Query(ge=0, le=MAX_MINUTES, description="at most this many minutes")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="words the title, category or description hold (the last may be "
            "the start of a word); stemmed, so 'learning' finds 'learn'",
        ),
    ] = None,
    instructor_id: Annotated[UUID | None, Query(alias="instructorId")] = None,
    status: Literal["published", "draft", "archived"] = "published",
    sort: Annotated[
        Literal[tuple(SORTS)] | None,  # type: ignore[valid-type]
        Query(description="newest by default; relevance by default when searching with q"),
    ] = None,
    page: Page = 1,
    page_size: PageSize = 20,
    x_consistency_token: Annotated[str | None, Header()] = None,
) -> EnvelopeResponse:
    """Published courses, filtered by category, difficulty, duration and text."""
    owner = str(instructor_id) if instructor_id else None
    if status != "published" and not may_see_drafts(viewer, owner):
        raise ForbiddenError("Only admins, or instructors for their own courses, list drafts")
    order = sort or ("relevance" if q else "newest")
    query = CatalogQuery(status, category, difficulty, duration, q, owner, order, page, page_size)
    cache, key = request.app.state.query_cache, repr(query)
    usable = not x_consistency_token  # reading one's writes skips the cache
    # The door's generation was read before this read waited for the caller's own writes, so
    # it may predate them: only a caller with none to wait for may be answered under it.
    answerable_now = usable and not await wanted_by(request, None)
    if answerable_now and (page_held := held(request, cache, key)) is not None:
        return success(page_held)  # no I/O, no thread
    return success(await run_in_threadpool(cached_page, cache, reads, query, key, usable))


def held(request: Request, cache: QueryCache, key: str) -> Any | None:
    """The page this process holds under the generation the door's round trip brought."""
    facts = facts_of(request.scope)
    generation = (facts.generations or {}).get("catalog") if facts else None
    return None if generation is None else cache.cached("catalog", generation, key)


def cached_page(
    cache: QueryCache, reads: ReadModels, query: CatalogQuery, key: str, cache_usable: bool
) -> Any:
    """The page from the query cache, or from the read model (and then into the cache); a
    hit takes no read-model connection."""
    cached, generation = cache.get("catalog", key)
    if cached is not None and cache_usable:
        return cached
    found = reads.run_connected(catalog_page, query).model_dump(mode="json", by_alias=True)
    cache.put("catalog", generation, key, found)
    return found


@router.get(
    "/{course_id}/structure",
    # The caller's locks follow from their progress too.
    dependencies=[Fresh, Depends(consistent_with("enrollments"))],
    responses=documented(CourseStructureView),
)
async def get_structure(course_id: UUID, user: CurrentUser, reads: Reads) -> EnvelopeResponse:
    """A course's modules and lessons, sorted by order, with what is locked for the caller."""
    return success(await reads.query(visible_structure, str(course_id), user))


def visible_structure(db: Connection, course_id: str, viewer: AccessClaims) -> CourseStructureView:
    """What the viewer sees of the course; a learner (enrolled or not) sees what is locked for
    them and what unlocks it, the course's instructor and admins see everything open."""
    row, full = visible_course(db, course_id, viewer)
    if full:
        return structure(row, full)
    enrollment_id = str(enrollment_id_of(viewer.user_id, UUID(course_id)))
    unlocking = learner_unlocking(db, row, enrollment_id)
    return structure(row, full, unlocking, enrolling_lock(db, row, str(viewer.user_id)))


def visible_course(db: Connection, course_id: str, viewer: AccessClaims) -> tuple[Any, bool]:
    """The course's row, and whether the viewer sees its drafts (its instructor, admins).
    A course that is not published is not found for anyone else."""
    row = course_row(db, course_id)
    full = row is not None and may_see_drafts(viewer, row.instructor_id)
    if row is None or (row.status != "published" and not full):
        raise CourseNotFoundError
    return row, full


def may_see_drafts(viewer: AccessClaims | None, owner_id: str | None) -> bool:
    if viewer is None:
        return False
    return viewer.role == "admin" or (
        viewer.role == "instructor" and owner_id == str(viewer.user_id)
    )
