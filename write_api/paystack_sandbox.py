"""The embedded Paystack sandbox's checkout pages: where a learner "pays" without Paystack.

``initialize`` on the sandbox points the learner here. Pay or Cancel closes the checkout and
delivers the signed webhook through the bus exactly as Paystack's own webhook arrives, so the
embedded default settles payments by the same path as production. With the real Paystack
configured, these pages do not exist.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from html import escape
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from commands.payments.settle_payment import ReceivePaystackWebhook
from domain.errors import DomainError
from infra.payments.paystack_sandbox import (
    CheckoutClosedError,
    CheckoutNotFoundError,
    PaystackSandbox,
    SandboxTransaction,
)

log = logging.getLogger(__name__)
router = APIRouter(tags=["payments"])
CHECKOUT = "/sandbox/paystack/checkout/{access_code}"


@router.get(CHECKOUT, include_in_schema=False, response_class=HTMLResponse)
def checkout(access_code: str, request: Request) -> HTMLResponse:
    """Show a sandbox checkout: what is being paid, with Pay and Cancel."""
    transaction = sandbox_of(request).transaction_for(access_code)
    if transaction is None:
        return not_found()
    if not transaction.open:
        return finished(request, transaction)
    action = quote(access_code, safe="")
    return page(
        "Paystack sandbox checkout",
        f"{summary(transaction)}"
        f'<form method="post" action="{action}/pay"><button class="pay">Pay {money(transaction)}'
        f'</button></form><form method="post" action="{action}/cancel">'
        '<button class="cancel">Cancel payment</button></form>'
        "<p class=note>Sandbox: no card is charged and no money moves.</p>",
    )


@router.post(f"{CHECKOUT}/pay", include_in_schema=False, response_class=HTMLResponse)
def pay(access_code: str, request: Request) -> HTMLResponse:
    """Pay a sandbox checkout; Campus hears of it by a signed charge.success webhook."""
    return close(request, access_code, paid=True)


@router.post(f"{CHECKOUT}/cancel", include_in_schema=False, response_class=HTMLResponse)
def cancel(access_code: str, request: Request) -> HTMLResponse:
    """Cancel a sandbox checkout for good; Campus hears of it by a charge.failed webhook."""
    return close(request, access_code, paid=False)


def sandbox_of(request: Request) -> PaystackSandbox:
    sandbox = getattr(request.app.state, "paystack", None)
    if not isinstance(sandbox, PaystackSandbox):
        raise HTTPException(404, "Not Found")  # the real Paystack serves its own checkout
    return sandbox


def close(request: Request, access_code: str, paid: bool) -> HTMLResponse:
    sandbox = sandbox_of(request)
    try:
        body, signature = sandbox.complete(access_code) if paid else sandbox.abandon(access_code)
    except CheckoutNotFoundError:
        return not_found()
    except CheckoutClosedError:
        # A second press, or the back button: say what became of it instead of failing.
        transaction = sandbox.transaction_for(access_code)
        return finished(request, transaction, 409) if transaction else not_found()
    try:
        request.app.state.bus.handle(ReceivePaystackWebhook(body=body, signature=signature))
    except DomainError as refused:
        # Paystack's checkout does not wait on our webhook either; the payment's status
        # endpoint asks the gateway again, so the learner's decision is not lost.
        log.warning("Campus refused the sandbox webhook for %s: %s", access_code, refused)
    transaction = sandbox.transaction_for(access_code)
    return finished(request, transaction) if transaction else not_found()


def finished(request: Request, transaction: SandboxTransaction, status: int = 200) -> HTMLResponse:
    paid = transaction.status in ("success", "reversed")
    title = "Payment successful" if paid else "Payment cancelled"
    callback = transaction.callback_url or request.app.state.settings.paystack_callback_url
    back = ""
    if callback:
        # Paystack sends the learner back with the reference in both of its spellings.
        query = urlencode({"reference": transaction.reference, "trxref": transaction.reference})
        url = f"{callback}{'&' if '?' in callback else '?'}{query}"
        back = f'<p><a class="back" href="{escape(url)}">Return to the merchant</a></p>'
    return page(title, f"{summary(transaction)}{back}", status)


def not_found() -> HTMLResponse:
    return page("Checkout not found", "<p>This checkout link is unknown or mistyped.</p>", 404)


def summary(transaction: SandboxTransaction) -> str:
    rows = {
        "Amount": money(transaction),
        "E-mail": transaction.email,
        "Reference": transaction.reference,
    }
    cells = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in rows.items())
    return f"<table>{cells}</table>"


def money(transaction: SandboxTransaction) -> str:
    """Major units, as the learner reads prices: kobo 1500000 is 15,000.00 NGN."""
    return f"{Decimal(transaction.amount).scaleb(-2):,.2f} {transaction.currency}"


STYLE = (
    "body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;padding:3em 1em}"
    "main{max-width:26em;margin:auto;background:#fff;padding:2em;border-radius:8px;"
    "box-shadow:0 1px 4px #0002}h1{font-size:1.3em}table{width:100%;margin:1em 0}"
    "th{text-align:left;color:#555;font-weight:normal}td{text-align:right}"
    "button{width:100%;padding:.8em;margin:.3em 0;border:0;border-radius:4px;font-size:1em;"
    "cursor:pointer}.pay{background:#0ba4db;color:#fff}.cancel{background:#eee}"
    ".note{color:#777;font-size:.85em}"
)


def page(title: str, content: str, status: int = 200) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        '</title><meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<style>{STYLE}</style></head><body><main><h1>{escape(title)}</h1>{content}"
        "</main></body></html>"
    )
    return HTMLResponse(html, status_code=status)
