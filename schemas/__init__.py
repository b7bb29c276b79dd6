"""The public contract: API request and response models, the envelope, published events.

A model's name says which way it travels and what it is, in the routers and in the OpenAPI
components alike. A body the client sends ends in ``Request`` (``ProfileUpdateRequest``); what
a command answers in the envelope's ``data`` ends in ``Response`` (``CreatedResponse``); a read
model shown to a client ends in ``View`` (``CourseSummaryView``), and a list of views with its
paging or date range ends in ``Page`` (``CatalogPage``). A nested part takes the suffix of the
model it is part of (``LessonCreateRequest`` in ``ModuleCreateRequest``); a part or base shared
by two of these kinds, or one that only lends its fields to others, is a plain noun
(``MediaRef``, ``CourseFields``). The envelope and the published events
(``schemas.events``, ``schemas.published``) keep names of their own.
"""
