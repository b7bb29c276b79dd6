"""The auth scenario (spec §1, §10 users), run on the embedded default and on the services."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.api import (
    PASSWORD,
    admin_token,
    bearer,
    data,
    error,
    login,
    profile,
    register,
    signed_up,
    unique_email,
)


def test_a_newcomer_registers_logs_in_reads_and_updates_the_profile(backend):
    client, email = backend.client, unique_email("ada")
    tokens, written = signed_up(client, email=email, phone="+2348012345678")

    me = data(profile(client, tokens["token"], written))
    assert me == me | {
        "userId": tokens["userId"],
        "email": email,
        "name": "Ada Lovelace",
        "role": "student",
        "username": email.split("@")[0],
        "phone": "+2348012345678",
    }

    session = data(login(client, email))
    updated = client.put(
        "/api/auth/user/profile",
        headers=bearer(session["token"]),
        json={"name": "Ada King", "avatarUrl": "https://example.com/ada.png"},
    )
    assert data(updated) == {"userId": tokens["userId"], "message": "Profile updated successfully"}
    me = data(profile(client, session["token"], updated.headers["X-Consistency-Token"]))
    assert (me["name"], me["avatarUrl"]) == ("Ada King", "https://example.com/ada.png")


def test_registering_an_email_twice_is_a_conflict_whatever_its_case(backend):
    email = unique_email("twice")
    signed_up(backend.client, email=email)
    assert error(register(backend.client, email=email.upper()), 409)["message"]


def test_registering_a_phone_twice_is_a_conflict(backend):
    signed_up(backend.client, phone="+2348000000001")
    error(register(backend.client, phone="+2348000000001"), 409)


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(backend):
    email = unique_email()
    signed_up(backend.client, email=email)
    wrong = error(login(backend.client, email, "not the password"), 401)
    unknown = error(login(backend.client, unique_email(), PASSWORD), 401)
    assert wrong["message"] == unknown["message"] == "Invalid credentials"


def test_refresh_rotates_tokens_and_a_reused_refresh_token_revokes_the_session(backend):
    client = backend.client
    first, _ = signed_up(client)
    second = data(
        client.post("/api/auth/token/refresh", json={"refreshToken": first["refreshToken"]})
    )
    assert second["refreshToken"] != first["refreshToken"]

    error(client.post("/api/auth/token/refresh", json={"refreshToken": first["refreshToken"]}), 401)
    # The thief replayed an old token: the legitimate newest one dies with the family.
    error(
        client.post("/api/auth/token/refresh", json={"refreshToken": second["refreshToken"]}), 401
    )
    error(profile(client, second["token"]), 401)


def test_logout_ends_the_session_for_access_and_refresh_tokens(backend):
    client = backend.client
    tokens, _ = signed_up(client)
    assert data(client.post("/api/auth/user/logout", headers=bearer(tokens["token"])))
    error(profile(client, tokens["token"]), 401)
    error(
        client.post("/api/auth/token/refresh", json={"refreshToken": tokens["refreshToken"]}), 401
    )


def test_a_blocked_user_is_refused_from_the_next_request_on(backend):
    client, admin = backend.client, admin_token(backend)
    email = unique_email("mallory")
    victim, _ = signed_up(client, email=email)

    blocked = client.post(
        f"/api/admin/users/{victim['userId']}/block",
        headers=bearer(admin),
        json={"reason": "abuse"},
    )
    assert data(blocked)["message"] == "User blocked"
    error(profile(client, victim["token"]), 401)
    refused = client.post("/api/auth/token/refresh", json={"refreshToken": victim["refreshToken"]})
    assert error(refused, 403)["message"] == "User is blocked"
    assert error(login(client, email), 403)["message"] == "User is blocked"

    data(client.post(f"/api/admin/users/{victim['userId']}/unblock", headers=bearer(admin)))
    assert data(login(client, email))["userId"] == victim["userId"]


def test_a_role_change_revokes_old_tokens_and_the_next_login_carries_the_new_role(backend):
    client, admin = backend.client, admin_token(backend)
    email = unique_email("teacher")
    user, _ = signed_up(client, email=email)
    changed = client.put(
        f"/api/admin/users/{user['userId']}/role",
        headers=bearer(admin),
        json={"role": "instructor"},
    )
    data(changed)
    error(profile(client, user["token"]), 401)
    fresh = data(login(client, email))
    assert (
        data(profile(client, fresh["token"], changed.headers["X-Consistency-Token"]))["role"]
        == "instructor"
    )


def test_the_admin_lists_users_by_page_role_and_status(backend):
    client, admin = backend.client, admin_token(backend)
    students = [signed_up(client)[0] for _ in range(3)]
    blocked = client.post(f"/api/admin/users/{students[0]['userId']}/block", headers=bearer(admin))
    written = blocked.headers["X-Consistency-Token"]

    page = data(
        client.get(
            "/api/admin/users?page=1&pageSize=2&role=student", headers=bearer(admin, written)
        )
    )
    assert (page["total"], page["page"], page["pageSize"], len(page["users"])) == (3, 1, 2, 2)
    rest = data(
        client.get("/api/admin/users?page=2&pageSize=2&role=student", headers=bearer(admin))
    )
    listed = {u["userId"] for u in page["users"] + rest["users"]}
    assert listed == {s["userId"] for s in students}
    only_blocked = data(client.get("/api/admin/users?status=blocked", headers=bearer(admin)))
    assert [u["userId"] for u in only_blocked["users"]] == [students[0]["userId"]]


def test_students_may_not_use_admin_endpoints(backend):
    client = backend.client
    student, _ = signed_up(client)
    error(client.get("/api/admin/users", headers=bearer(student["token"])), 403)
    error(
        client.post(
            f"/api/admin/users/{student['userId']}/block", headers=bearer(student["token"])
        ),
        403,
    )
    error(
        client.put(
            f"/api/admin/users/{student['userId']}/role",
            headers=bearer(student["token"]),
            json={"role": "admin"},
        ),
        403,
    )


def test_an_admin_may_not_block_or_demote_themselves(backend):
    client, token = backend.client, admin_token(backend)
    admin_id = backend.campus.tokens.read_access(token).user_id
    error(client.post(f"/api/admin/users/{admin_id}/block", headers=bearer(token)), 403)
    error(
        client.put(
            f"/api/admin/users/{admin_id}/role", headers=bearer(token), json={"role": "student"}
        ),
        403,
    )


def test_administering_an_unknown_user_is_not_found(backend):
    token = admin_token(backend)
    unknown = "00000000-0000-4000-8000-000000000000"
    error(backend.client.post(f"/api/admin/users/{unknown}/block", headers=bearer(token)), 404)


def test_changing_the_password_ends_every_other_session(backend):
    client, email = backend.client, unique_email("rotate")
    elsewhere, _ = signed_up(client, email=email)
    here = data(login(client, email))

    changed = client.put(
        "/api/auth/user/password",
        headers=bearer(here["token"]),
        json={"currentPassword": PASSWORD, "newPassword": "an even longer one"},
    )
    fresh = data(changed)
    assert data(profile(client, fresh["token"], changed.headers["X-Consistency-Token"]))
    error(profile(client, elsewhere["token"]), 401)
    error(
        client.post("/api/auth/token/refresh", json={"refreshToken": elsewhere["refreshToken"]}),
        401,
    )
    error(login(client, email), 401)
    assert data(login(client, email, "an even longer one"))["userId"] == fresh["userId"]


def test_changing_the_password_needs_the_current_one(backend):
    tokens, written = signed_up(backend.client)
    refused = backend.client.put(
        "/api/auth/user/password",
        headers=bearer(tokens["token"]),
        json={"currentPassword": "a wrong guess", "newPassword": "whatever works"},
    )
    assert error(refused, 401)["message"] == "Current password is incorrect"
    assert data(profile(backend.client, tokens["token"], written))  # the session lives on


def test_a_consistency_token_naming_an_unknown_application_is_a_bad_request(embedded):
    tokens, _ = signed_up(embedded.client)
    refused = profile(embedded.client, tokens["token"], "nonsense:1")
    assert error(refused, 400)["message"] == "X-Consistency-Token names an unknown application"
    error(profile(embedded.client, tokens["token"], "identity:abc"), 400)


def test_concurrent_updates_of_one_profile_all_succeed_and_one_of_them_is_kept(backend):
    tokens, _ = signed_up(backend.client)

    def rename(n: int) -> int:
        return backend.client.put(
            "/api/auth/user/profile", headers=bearer(tokens["token"]), json={"name": f"Name {n}"}
        ).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = set(pool.map(rename, range(24)))

    assert statuses == {200}
    kept = data(profile(backend.client, tokens["token"]))["name"]
    assert kept in {f"Name {n}" for n in range(24)}
