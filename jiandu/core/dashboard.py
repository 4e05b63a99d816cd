"""Dashboard cards: a few numbers that need attention, linking to the filtered list (UX.md).
Each app contributes a provider with `register_card`; providers return None when the user may
not see them."""

from collections.abc import Callable

_providers: list[Callable] = []


def register_card(provider: Callable) -> Callable:
    _providers.append(provider)
    return provider


def cards_for(user) -> list[dict]:
    cards = []
    for provider in _providers:
        card = provider(user)
        if card:
            # Only a count that is not zero is an alarm (UX: red means "act on this").
            card = {**card, "attention": bool(card.get("attention")) and _nonzero(card.get("number"))}
            cards.append(card)
    return cards


def _nonzero(number) -> bool:
    try:
        return int(str(number).strip() or 0) != 0
    except ValueError:
        return bool(number)
