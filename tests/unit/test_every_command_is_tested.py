"""Every command the bus routes has a unit test that sends it through the bus.

The check is plain text: some module of this folder that hands commands to ``bus.handle``
builds the command (``Name(``). It cannot tell a good test from a poor one, but it does tell
the author of a new handler that it has none.
"""

from __future__ import annotations

from pathlib import Path

from commands.handlers import HANDLERS

HERE = Path(__file__).parent


def bus_test_sources() -> str:
    sources = (path.read_text() for path in HERE.glob("*.py") if path != Path(__file__))
    return "\n".join(source for source in sources if "bus.handle(" in source)


def test_every_command_the_bus_routes_is_sent_by_a_unit_test() -> None:
    sources = bus_test_sources()
    untested = sorted(kind.__name__ for kind in HANDLERS if f"{kind.__name__}(" not in sources)
    assert not untested, f"Commands with no bus-level unit test in tests/unit: {untested}"
