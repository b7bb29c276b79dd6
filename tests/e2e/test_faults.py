"""Faults, as production meets them: processes killed, Kafka away, PostgreSQL restarted.

Write API, read API, relay, projector and sender run as separate processes while clients send
thousands of mixed commands (registrations, profile and course edits, checkouts, enrollments,
progress). Meanwhile the relay and the projector are killed with SIGKILL at random moments and
restarted, Kafka is stopped for twenty seconds, and PostgreSQL is restarted once. Afterwards
every command that was answered with success is in the read models, the read models equal a
fresh rebuild of the event store table by table, and no e-mail went out twice.
"""

from __future__ import annotations

import random
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from commands.users.register_user import RegisterUser
from commands.users.update_profile import UpdateProfile
from domain.users.roles import Role
from ops.bootstrap import bootstrap
from projections.enrollments import enrollments
from projections.rebuild import rebuild
from projections.registry import resolve
from projections.users import users
from tests.commerce import card
from tests.courses import course_body
from tests.e2e.processes import Production, production, wait_until
from tests.mail import smtp_server
from tests.pipeline import settled

pytestmark = pytest.mark.exclusive

COMMANDS = 5000
CLIENTS = 6
OPS = Path(__file__).parent.parent.parent / "ops" / "services"
PASSWORD = "a long password"


@dataclass
class Outcomes:
    """What the clients were told succeeded, and how many commands were answered."""

    names: dict[str, str] = field(default_factory=dict)  # user id -> last name answered 200
    enrollments: set[str] = field(default_factory=set)
    titles: dict[str, str] = field(default_factory=dict)  # course id -> last title answered
    succeeded: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, answer: httpx.Response | None) -> bool:
        ok = answer is not None and answer.status_code < 300
        with self.lock:
            if ok:
                self.succeeded += 1
            else:
                self.failed += 1
        return ok


class Client:
    """One learner's journey after another, as a browser would send them."""

    def __init__(self, base: str, admin: str, courses: list[str], outcomes: Outcomes) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.admin, self.courses, self.outcomes = admin, courses, outcomes

    def send(self, method: str, path: str, token: str | None = None, **kw) -> httpx.Response | None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            answer = self.http.request(method, path, headers=headers, **kw)
        except httpx.HTTPError:
            answer = None
        return answer if self.outcomes.count(answer) else None

    def journey(self, n: int) -> None:
        email = f"learner-{n}-{random.getrandbits(32)}@example.com"
        body = {"email": email, "password": PASSWORD, "name": f"Learner {n}"}
        if not (registered := self.send("POST", "/api/auth/user/register", json=body)):
            return
        user, token = registered.json()["data"]["userId"], registered.json()["data"]["token"]
        self.outcomes.names[user] = f"Learner {n}"
        self.rename(user, token, f"Learner {n} (renamed)")
        course = random.choice(self.courses)
        self.edit_course(course, n)
        pay = {"courseId": course, "method": "card", "cardDetails": card()}
        if not self.send("POST", "/api/payments/initiate", token, json=pay):
            return
        enrolled = self.send("POST", "/api/enrollments/enroll", token, json={"courseId": course})
        if not enrolled:
            return
        enrollment = enrolled.json()["data"]["enrollmentId"]
        self.outcomes.enrollments.add(enrollment)
        for share in (0.25, 0.5, 1.0):
            update = {"enrollmentId": enrollment, "progress": share} | LESSONS[course]
            self.send("POST", "/api/progress/update", token, json=update)
        self.rename(user, token, f"Learner {n} (final)")

    def rename(self, user: str, token: str, name: str) -> None:
        if self.send("PUT", "/api/auth/user/profile", token, json={"name": name}):
            self.outcomes.names[user] = name

    def edit_course(self, course: str, n: int) -> None:
        title = f"Course edited by {n}"
        if self.send("PUT", f"/api/courses/{course}", self.admin, json={"title": title}):
            with self.outcomes.lock:  # the last answered edit of a course wins
                self.outcomes.titles[course] = title


LESSONS: dict[str, dict[str, str]] = {}


def published_courses(write: str, read: str, admin: str, count: int) -> list[str]:
    courses, headers = [], {"Authorization": f"Bearer {admin}"}
    with httpx.Client(headers=headers, timeout=30) as http:
        for n in range(count):
            body = course_body(title=f"Course {n}", status="published", price="100.00")
            created = http.post(f"{write}/api/admin/courses", json=body)
            course = created.json()["data"]["courseId"]
            structure = http.get(f"{read}/api/courses/{course}/structure").json()["data"]
            module = structure["modules"][0]
            LESSONS[course] = {"moduleId": module["id"], "lessonId": module["lessons"][0]["id"]}
            courses.append(course)
    return courses


def chaos(prod: Production, done: threading.Event) -> list[str]:
    """The faults, in a random order of kills around one Kafka outage and one database restart."""
    happened = []

    def pause(low: float, high: float) -> None:
        time.sleep(random.uniform(low, high))

    for victim in random.sample(["relay", "projector"] * 3, 6):
        pause(0.5, 3)
        prod.kill(victim)
        happened.append(f"killed {victim}")
        pause(0.2, 2)
        prod.start(victim, *ARGS[victim])
    subprocess.run([OPS / "down.sh", "kafka"], check=True, capture_output=True)
    happened.append("stopped kafka")
    time.sleep(20)
    subprocess.run([OPS / "up.sh", "kafka"], check=True, capture_output=True)
    happened.append("started kafka")
    pause(1, 3)
    subprocess.run([OPS / "up.sh", "postgres"], check=True, capture_output=True)
    version = next(Path("/etc/postgresql").iterdir()).name
    subprocess.run(["pg_ctlcluster", version, "campus", "restart"], check=True)
    happened.append("restarted postgres")
    for victim in ("relay", "projector"):
        pause(0.5, 2)
        prod.kill(victim)
        prod.start(victim, *ARGS[victim])
        happened.append(f"killed {victim}")
    done.set()
    return happened


ARGS = {"relay": ("relay",), "projector": ("project", "read-models")}


def test_no_answered_command_is_lost_and_nothing_is_applied_or_mailed_twice(tmp_path):
    with smtp_server() as mail, production(tmp_path) as prod:
        prod.env |= {
            "CAMPUS_SMTP_HOST": mail.host,
            "CAMPUS_SMTP_PORT": str(mail.port),
            "CAMPUS_RATE_LIMIT_PER_MINUTE": "1000000",  # every client is on 127.0.0.1
        }
        campus = bootstrap(prod.settings)
        write = prod.serve("write")
        admin = admin_token(campus, write)
        for name, args in ARGS.items():
            prod.start(name, *args)
        prod.start("notifier", "notify")
        courses = published_courses(write, prod.serve("read"), admin, 5)

        outcomes, chaos_done = Outcomes(), threading.Event()
        happened: list[str] = []
        faults = threading.Thread(target=lambda: happened.extend(chaos(prod, chaos_done)))
        faults.start()
        clients = [
            threading.Thread(target=drive, args=(write, admin, courses, outcomes, chaos_done, i))
            for i in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        faults.join()
        assert outcomes.succeeded >= COMMANDS, (outcomes.succeeded, outcomes.failed, happened)
        prod.stop("notifier")  # its own events would move the heads on

        settled(campus, seconds=180)
        live = read_models(campus)
        assert_nothing_answered_was_lost(live, outcomes)
        prod.kill("projector")
        rebuild(campus.runner(), list(campus.apps.values()))
        rebuilt = read_models(campus)
        for table in live:
            assert live[table] == rebuilt[table], f"{table} differs from a rebuild"
        assert_no_mail_twice(mail, campus)
        campus.close()


def drive(base, admin, courses, outcomes: Outcomes, chaos_done: threading.Event, i: int) -> None:
    client = Client(base, admin, courses, outcomes)
    n = i * 1_000_000
    while not chaos_done.is_set() or outcomes.succeeded < COMMANDS:
        client.journey(n)
        n += 1


def admin_token(campus, base: str) -> str:
    """The first admin, made as the CLI makes it, signed in over HTTP."""
    campus.bus.handle(RegisterUser("admin@example.com", PASSWORD, "Admin", role=Role.ADMIN))
    login = {"email": "admin@example.com", "password": PASSWORD}
    return httpx.post(f"{base}/api/auth/user/login", json=login).json()["data"]["token"]


def read_models(campus) -> dict[str, list[tuple]]:
    tables = [t for p in resolve("read-models") for t in p.tables]
    with campus.read_engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr) for t in tables}


def assert_nothing_answered_was_lost(live: dict[str, list[tuple]], outcomes: Outcomes) -> None:
    id_at, name_at = users.c.keys().index("id"), users.c.keys().index("name")
    names = {row[id_at]: row[name_at] for row in live[users.name]}
    lost = {u: n for u, n in outcomes.names.items() if names.get(u) != n}
    assert not lost, f"{len(lost)} users answered 200 but read back otherwise"
    id_at = enrollments.c.keys().index("enrollment_id")
    enrolled = {row[id_at] for row in live[enrollments.name]}
    assert outcomes.enrollments <= enrolled


def assert_no_mail_twice(mail, campus) -> None:
    sent = campus.apps["notifications"].recorder.max_notification_id() or 0
    assert sent > 0, "the sender sent nothing"
    ids = Counter(m.message["Message-ID"] for m in mail.received)
    assert ids and max(ids.values()) == 1, ids.most_common(3)


def test_projectors_in_one_group_survive_a_kill_and_a_join_and_equal_a_rebuild(tmp_path):
    with production(tmp_path) as prod:
        campus = bootstrap(prod.settings)
        for n in range(2000):
            user = campus.bus.handle(RegisterUser(f"learner{n}@example.com", None, f"Learner {n}"))
            if n % 2 == 0:
                campus.bus.handle(UpdateProfile(user, name=f"Learner {n} (renamed)"))
        prod.start("relay", "relay")
        for n in range(3):
            prod.start(f"projector-{n}", "project", "read-models")
        runner = campus.runner()
        wait_until(lambda: runner.applied_through("identity") > 0, "the projectors to start")
        prod.kill("projector-0")  # its partitions move to the others
        prod.start("projector-3", "project", "read-models")  # and some move again
        settled(campus, seconds=180)
        live = read_models(campus)
        assert len(live[users.name]) == 2000
        for n in range(1, 4):
            prod.kill(f"projector-{n}")
        rebuild(runner, list(campus.apps.values()))
        assert read_models(campus) == live
        campus.close()
