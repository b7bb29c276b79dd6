"""The message bus: dispatches each command to its handler, with dependencies injected once,
then to the policies that follow it (a command that has consequences in another part of the
domain, e.g. a corrected name re-issuing certificates)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from functools import cache, partial
from typing import Any

from commands import causation

Policy = Callable[[Any], object | None]


class MessageBus:
    """Dispatches a command to the one handler registered for its type."""

    def __init__(
        self,
        handlers: Mapping[type, Callable[[Any], Any]],
        policies: Mapping[type, Sequence[Policy]] | None = None,
    ) -> None:
        self.handlers = dict(handlers)
        self.policies = dict(policies or {})

    def handle(self, command: object) -> Any:
        # The outermost command is the cause of everything saved until it returns, its
        # policies' follow-ups included; a policy reacting to an event has named that event.
        if causation.causation_id.get() is not None:
            return self.dispatch(command)
        with causation.caused_by(causation.of_command(command)):
            return self.dispatch(command)

    def dispatch(self, command: object) -> Any:
        result = self.handlers[type(command)](command)
        for policy in self.policies.get(type(command), ()):
            follow_up = policy(command)
            if follow_up is not None:
                self.handle(follow_up)
        return result


def inject(handler: Callable[..., Any], dependencies: Mapping[str, Any]) -> Callable[[Any], Any]:
    """Bind the handler's parameters after the command by name (cosmicpython's bootstrap)."""
    return partial(handler, **{name: dependencies[name] for name in wanted(handler)})


@cache
def wanted(handler: Callable[..., Any]) -> tuple[str, ...]:
    """The names a handler takes after its command: read once per process, as every Campus a
    process builds (each test's, each rebuild's) binds the same sixty-odd handlers."""
    return tuple(inspect.signature(handler).parameters)[1:]
