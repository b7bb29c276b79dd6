"""The message bus, in memory: a command reaches its handler, then the policies that follow it."""

from __future__ import annotations

from dataclasses import dataclass

from commands.bus import MessageBus


@dataclass(frozen=True)
class CorrectName:
    name: str


@dataclass(frozen=True)
class ReissueCertificates:
    name: str


def test_the_handlers_result_is_returned():
    bus = MessageBus({CorrectName: lambda cmd: f"corrected to {cmd.name}"})

    assert bus.handle(CorrectName("Ada")) == "corrected to Ada"


def test_a_policys_follow_up_command_is_handled_after_the_command():
    handled: list[object] = []
    bus = MessageBus(
        {CorrectName: handled.append, ReissueCertificates: handled.append},
        {CorrectName: [lambda cmd: ReissueCertificates(cmd.name)]},
    )

    bus.handle(CorrectName("Ada"))

    assert handled == [CorrectName("Ada"), ReissueCertificates("Ada")]


def test_a_policy_answering_none_does_nothing_more():
    handled: list[object] = []
    bus = MessageBus(
        {CorrectName: handled.append, ReissueCertificates: handled.append},
        {CorrectName: [lambda cmd: None]},
    )

    bus.handle(CorrectName("Ada"))

    assert handled == [CorrectName("Ada")]


def test_the_commands_result_is_returned_not_its_follow_ups():
    bus = MessageBus(
        {CorrectName: lambda cmd: "corrected", ReissueCertificates: lambda cmd: "reissued"},
        {CorrectName: [lambda cmd: ReissueCertificates(cmd.name)]},
    )

    assert bus.handle(CorrectName("Ada")) == "corrected"


def test_every_change_to_a_course_is_routed_to_its_handler():
    from commands.courses.change_course import CourseChange, change_course
    from commands.handlers import HANDLERS

    changes = set(CourseChange.__subclasses__())
    assert changes and {c for c in changes if HANDLERS.get(c) is not change_course} == set()
