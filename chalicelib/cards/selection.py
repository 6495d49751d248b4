"""A search's cards as one download, bounded: GET /vcards.

Paging would only split one download, so the whole selection travels in one file, up
to a bound that keeps it far below Lambda's limits.
"""

from __future__ import annotations

from ..domain import queries
from ..domain.errors import NotFound, TooManyResults
from .cache import Bundle, DirectoryCards

# One download holds at most this many cards (offices and public contacts): ~1 KB each
# as vCard or jCard, so at most ~2.5 MB — far below Lambda's 6 MB response limit — and
# about a second to render uncached, far below the function's 10 s timeout. The whole
# directory of the initiative (73 municipalities) is a fraction of it.
MAX_CARDS_PER_DOWNLOAD = 2500
# Searches that narrow a download, named in the error's details.
NARROWING = ("q", "kind", "regierungsbezirk", "topic", "language", "near", "radius_km")
DIRECTORY_FILENAME = "gemeinsam-klappts"


def search_download(cards: DirectoryCards, query: queries.SearchQuery, given: list[str]) -> Bundle:
    """Every card of the search's matches in one file; 422 beyond the bound, 404 for none.

    `given`: the parameter names the request named, for the error's advice.
    """
    snapshot = cards.snapshot
    hits = queries.find(snapshot, query)
    matched = sum(snapshot.parts[hit.entry.id].card_count for hit in hits)
    if matched > MAX_CARDS_PER_DOWNLOAD:
        given_names = sorted(set(given))
        raise TooManyResults(
            f"this download would hold {matched} cards, more than the {MAX_CARDS_PER_DOWNLOAD} one file may; "
            "narrow the search with q, kind, regierungsbezirk, topic, language or near and radius_km",
            {
                "cards": matched,
                "municipalities": len(hits),
                "limit": MAX_CARDS_PER_DOWNLOAD,
                "narrow_with": [name for name in NARROWING if name not in given_names],
                "given": given_names,
            },
        )
    found = cards.selection([hit.entry for hit in hits], DIRECTORY_FILENAME)
    if not found.count:
        raise NotFound("no office or contact matches this search", {"matches": len(hits)})
    return found
