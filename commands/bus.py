"""The message bus: maps each command type to its handler, with dependencies injected once."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any


class MessageBus:
    """Dispatches a command to the one handler registered for its type."""

    def __init__(self, handlers: Mapping[type, Callable[[Any], Any]]) -> None:
        self.handlers = dict(handlers)

    def handle(self, command: object) -> Any:
        return self.handlers[type(command)](command)


def inject(handler: Callable[..., Any], dependencies: Mapping[str, Any]) -> Callable[[Any], Any]:
    """Bind the handler's parameters after the command by name (cosmicpython's bootstrap)."""
    params = list(inspect.signature(handler).parameters)[1:]
    return partial(handler, **{name: dependencies[name] for name in params})
