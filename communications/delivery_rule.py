"""Whether a stored mail may reach its address is decided above this app: the privacy
app knows the person's choices (P6) and registers its rule here at ``ready()``, so
outbound mail never imports it. With no rule registered nothing is sent: a mail that
ignored the person's choices would break a promise."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from communications.models import OutboundMail

DeliveryRule = Callable[[OutboundMail], bool]
_rules: list[DeliveryRule] = []


def delivery_rule_register(rule: DeliveryRule) -> None:
    if rule not in _rules:
        _rules.append(rule)


def delivery_allowed(mail: OutboundMail) -> bool:
    """May this mail go now? Asked just before each attempt, so a choice made after
    the mail was queued still stops it."""
    if not _rules:
        raise ImproperlyConfigured("No delivery rule is registered: mail is not sent (P6).")
    return all(rule(mail) for rule in _rules)
