"""The words of every notice Campus sends, in English: the message ids of the gettext catalogs.

Each kind has a subject and a message, ``str.format`` templates over the values its policy
gives. A translation lives in ``locales/<language>/LC_MESSAGES/campus.po`` under the same
English text; changing a text here leaves its translations behind (the catalogs test lists
them), so change the catalogs with it. ``N_`` marks the texts for ``pybabel extract``.
"""

from __future__ import annotations


def N_(text: str) -> str:  # gettext's name for "translate later": extraction finds it
    return text


TEMPLATES: dict[str, tuple[str, str]] = {
    "enrollment_welcome": (
        N_("Welcome to {course}"),
        N_(
            "Hi {name}, you are enrolled in {course}. Your progress is saved as you go, "
            "so you can always pick up where you left off."
        ),
    ),
    "payment_succeeded": (
        N_("Payment received"),
        N_("We received {amount} for {course} (transaction {transaction}). You can enroll now."),
    ),
    "promo_applied": (
        N_("Promo code applied"),
        N_("Promo code {code} took {discount} off {course}."),
    ),
    "payment_failed": (
        N_("Payment failed"),
        N_(
            "Your payment of {amount} for {course} did not go through ({reason}). "
            "You have not been charged."
        ),
    ),
    "second_payment_refunded": (
        N_("Your second payment is being refunded"),
        N_(
            "You had already paid for {course}, so we are refunding the {amount} of "
            "transaction {transaction}. The course stays yours."
        ),
    ),
    "refund_processed": (
        N_("Your refund was paid"),
        N_(
            "We refunded {amount} of your payment for {course} (transaction {transaction}). "
            "It may take a few days to reach your account."
        ),
    ),
    "certificate_issued": (
        N_("Your certificate for {course}"),
        N_(
            "Congratulations, {name}! Your certificate {certificate} for {course} is ready to "
            "download. Anyone can verify it at {url}"
        ),
    ),
    "review_assigned": (
        N_("A peer review is waiting for you"),
        N_("Please review a classmate's work for {course} (module {module}) by {due}."),
    ),
    "review_received": (
        N_("Your work was reviewed"),
        N_("A classmate reviewed your work for {course} (module {module}) and rated it {rating}."),
    ),
    "review_expired": (
        N_("Your peer review assignment expired"),
        N_(
            "The time to review a classmate's work for {course} (module {module}) ran out, "
            "so it went back to the queue. Ask for new work to review whenever you are ready."
        ),
    ),
    "course_reminder": (
        N_("Pick up {course} where you left off"),
        N_(
            "You have not opened {course} since {since}. Your place is saved: continue from "
            "the last lesson you visited."
        ),
    ),
    # An admin's message goes out as typed; only a missing subject is ours to word.
    "announcement": (N_("A message from Campus"), "{message}"),
}
