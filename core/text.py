"""Text helpers for Russian names: one normalized form for search and alphabetical order."""

import re

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, «ё» as «е», single spaces: how names are compared and sorted.

    Neither embedded PostgreSQL wheel ships ICU, so instead of the "ru-x-icu" collation
    names carry this key, stored with the "C" collation: Cyrillic а…я are in code-point
    order, and folding «ё» into «е» puts it where a Russian reader expects it.
    """
    return _SPACES.sub(" ", text.strip().casefold().replace("ё", "е"))
