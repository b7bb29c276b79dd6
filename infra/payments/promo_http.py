"""The third-party promo API over HTTP (HttpPromoProvider), used when ``promo_api_url`` is set.

The contract (also in docs/promo-provider.md)::

    GET {promo_api_url}/promos/{code}?courseId=<uuid>&userId=<uuid>
    Authorization: Bearer {promo_api_key}        (sent only when a key is configured)

    200 {"code": "PROMO2025", "valid": true, "discountPercentage": 15}
    200 {"code": "PROMO2025", "valid": true, "discountAmount": 50000, "currency": "NGN"}
    200 {"code": "PROMO2025", "valid": false, "reason": "Expired"}     ("reason" is optional)
    404                                                                 unknown code

``{code}`` is percent-encoded as one path segment. ``discountPercentage`` is above 0 and at
most 100, with at most two decimals; ``discountAmount`` is a positive integer in minor units.

What Campus makes of the answers:

* ``valid: false`` or 404: ``PromoInvalidError`` (with the provider's reason when it gives one);
* 5xx, a timeout (``promo_timeout_seconds``), a refused connection, or a 200 whose body is not
  the JSON above: asked again, ``promo_retries`` attempts in all with short exponential waits,
  then ``PromoUnavailableError``;
* any other status (401/403 mean our key is wrong) or a discount out of range: the provider is
  misconfigured or broken, and asking again would answer the same, so ``PromoUnavailableError``
  at once.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from commands.payments.ports import PromoInvalidError, PromoUnavailableError
from domain.commerce.pricing import Discount
from domain.errors import InvalidInputError
from infra.http import http_client
from infra.settings import Settings

log = logging.getLogger("campus.promos")


class ProviderDown(Exception):
    """The provider did not answer, or answered something a second try may fix."""


class HttpPromoProvider:
    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.base_url = settings.promo_api_url.rstrip("/")
        key = settings.promo_api_key
        self.http = client or http_client(
            timeout=settings.promo_timeout_seconds,
            headers={"Authorization": f"Bearer {key}"} if key else {},
        )
        self.fetch = retry(
            retry=retry_if_exception_type(ProviderDown),
            stop=stop_after_attempt(max(1, settings.promo_retries)),
            wait=wait_exponential(multiplier=0.1, max=1),
            reraise=True,
        )(self.fetch_once)

    def lookup(self, code: str, course_id: UUID, user_id: UUID) -> Discount:
        """The discount the provider grants ``user_id`` on ``course_id`` with ``code``."""
        if not code.strip():
            raise PromoInvalidError
        try:
            return self.fetch(code.strip(), course_id, user_id)
        except ProviderDown as down:
            log.warning("promo provider unavailable: %s", down)
            raise PromoUnavailableError from None

    def close(self) -> None:
        self.http.close()

    def fetch_once(self, code: str, course_id: UUID, user_id: UUID) -> Discount:
        url = f"{self.base_url}/promos/{quote(code, safe='')}"
        params = {"courseId": str(course_id), "userId": str(user_id)}
        try:
            response = self.http.get(url, params=params)
        except httpx.HTTPError as error:
            raise ProviderDown(f"{type(error).__name__}: {error}") from None
        if response.status_code >= 500:
            raise ProviderDown(f"HTTP {response.status_code}")
        if response.status_code == 404:
            raise PromoInvalidError
        if response.status_code != 200:
            log.error("promo provider refused us (check CAMPUS_PROMO_API_KEY): %s", response)
            raise PromoUnavailableError
        return discount_from(parsed(response))


def parsed(response: httpx.Response) -> dict[str, Any]:
    # Decimals, so "12.5" percent stays exact; a float would need rounding.
    try:
        body = response.json(parse_float=Decimal)
    except ValueError:
        raise ProviderDown("a 200 answer that is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("valid"), bool):
        raise ProviderDown("a 200 answer without a boolean 'valid'")
    return body


def discount_from(body: dict[str, Any]) -> Discount:
    if not body["valid"]:
        reason = body.get("reason")
        raise PromoInvalidError(f"Invalid promo code: {reason}" if reason else None)
    percentage, amount = body.get("discountPercentage"), body.get("discountAmount")
    currency = body.get("currency")
    try:
        if is_number(percentage, Decimal) and amount is None:
            return Discount.percentage(percentage)
        if is_number(amount) and percentage is None and isinstance(currency, str):
            return Discount(amount=amount, currency=currency.upper())
    except InvalidInputError as error:
        log.error("promo provider answered a discount out of range: %s", error)
        raise PromoUnavailableError from None
    raise ProviderDown("a valid promo without exactly one discount")


def is_number(value: object, *kinds: type) -> bool:
    # JSON's true and false are ints in Python; a provider sending them is broken.
    return isinstance(value, (int, *kinds)) and not isinstance(value, bool)
