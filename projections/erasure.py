"""What a read model does when a person is erased: blank their personal columns in its rows.

Rows written before the erasure are blanked here, once; events applied after it arrive with
those fields already blanked (``Campus.reveal``), so nothing writes them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, update

from schemas.events import PublishedEvent
from schemas.published.users import UserPersonalDataErased


def blank_erased(
    conn: Connection, events: Sequence[PublishedEvent], table: Table, **blanks: Any
) -> None:
    """Set ``blanks`` on ``table``'s rows (keyed by ``user_id``) of the people ``events``
    erased."""
    erased = [e.aggregate_id for e in events if e.event_type == UserPersonalDataErased.NAME]
    if erased:
        conn.execute(update(table).where(table.c.user_id.in_(erased)).values(**blanks))
