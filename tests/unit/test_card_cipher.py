"""Card details encryption: round trips, opacity, tamper detection, and its key."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from infra.payments.card_cipher import AesGcmCardCipher, open_card_cipher
from infra.settings import Settings

DETAILS = {
    "brand": "visa",
    "last4": "4242",
    "expiryMonth": "12",
    "expiryYear": "2031",
    "token": "chg_0123abcd",
}


def settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **overrides)


@pytest.fixture
def cipher() -> AesGcmCardCipher:
    return AesGcmCardCipher(os.urandom(32))


def test_details_encrypted_decrypt_to_the_same_details(cipher):
    assert cipher.decrypt(cipher.encrypt(DETAILS)) == DETAILS


def test_a_token_is_versioned_and_shows_none_of_the_details(cipher):
    token = cipher.encrypt(DETAILS)

    assert token.startswith("v1.")
    for value in ("4242", "2031", "visa", "chg_"):
        assert value not in token
        assert value.encode() not in base64.urlsafe_b64decode(token[3:])


def test_the_same_details_encrypt_differently_each_time(cipher):
    assert cipher.encrypt(DETAILS) != cipher.encrypt(DETAILS)


def test_an_altered_token_does_not_decrypt(cipher):
    sealed = bytearray(base64.urlsafe_b64decode(cipher.encrypt(DETAILS)[3:]))
    sealed[20] ^= 1

    with pytest.raises(ValueError):
        cipher.decrypt("v1." + base64.urlsafe_b64encode(bytes(sealed)).decode())


@pytest.mark.parametrize("token", ["v2.AAAA", "v1.***", "v1.", "v1.AAAA", "plain"])
def test_a_token_that_is_not_ours_does_not_decrypt(cipher, token):
    with pytest.raises(ValueError):
        cipher.decrypt(token)


def test_a_token_made_under_another_key_does_not_decrypt(cipher):
    with pytest.raises(ValueError):
        AesGcmCardCipher(os.urandom(32)).decrypt(cipher.encrypt(DETAILS))


def test_the_configured_key_is_used(tmp_path):
    key = os.urandom(16)
    token = AesGcmCardCipher(key).encrypt(DETAILS)
    configured = settings(tmp_path, card_details_key=base64.b64encode(key).decode())

    assert open_card_cipher(configured).decrypt(token) == DETAILS
    assert not (tmp_path / "card-details-key").exists()


def test_the_embedded_default_generates_a_key_and_keeps_it(tmp_path):
    token = open_card_cipher(settings(tmp_path)).encrypt(DETAILS)

    assert open_card_cipher(settings(tmp_path)).decrypt(token) == DETAILS
    assert (tmp_path / "card-details-key").stat().st_mode & 0o777 == 0o600


def test_outside_the_embedded_default_a_key_must_be_configured(tmp_path):
    with pytest.raises(RuntimeError, match="CAMPUS_CARD_DETAILS_KEY"):
        open_card_cipher(settings(tmp_path, redis_url="redis://127.0.0.1:6379/0"))


@pytest.mark.parametrize(
    "key", [base64.b64encode(b"twenty bytes, not 32").decode(), "not base64 at all!", "QUJD"]
)
def test_a_key_of_the_wrong_length_is_refused_naming_the_setting(tmp_path, key):
    with pytest.raises(RuntimeError, match="CAMPUS_CARD_DETAILS_KEY"):
        open_card_cipher(settings(tmp_path, card_details_key=key))
