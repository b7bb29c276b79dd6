"""The HTTP client every provider adapter (Paystack, OAuth, promo codes, push) starts from.

Building the default TLS context reads the whole CA bundle, tens of milliseconds of CPU; every
client built in a process shares one instead of paying that again.
"""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import httpx


@cache
def tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def http_client(**options: Any) -> httpx.Client:
    return httpx.Client(verify=tls_context(), **options)
