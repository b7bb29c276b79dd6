"""The payment request as clients write it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas.payments import CardDetailsRequest

CARD = {"number": "4242424242424242", "cvv": "408"}


@pytest.mark.parametrize("month, year", [(12, 2099), ("12", "2099"), (12, "99")])
def test_a_card_expiry_may_be_written_as_numbers_or_strings(month, year):
    card = CardDetailsRequest.model_validate(CARD | {"expiryMonth": month, "expiryYear": year})
    assert (card.expiry_month, card.expiry_year) == (str(month), str(year))


def test_an_expiry_that_is_no_date_part_is_refused():
    with pytest.raises(ValidationError):
        CardDetailsRequest.model_validate(CARD | {"expiryMonth": 10**40, "expiryYear": 2099})
