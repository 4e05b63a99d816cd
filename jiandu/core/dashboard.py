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
            cards.append(card)
    return cards
