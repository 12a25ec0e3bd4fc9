"""Which trigrams of a term an embedded index reads: the rarest of each part of the term.

Both embedded indexes find a term through its trigrams, and Thai terms are made of common ones
(ประ alone occurs two million times at 100,000 circulars). Reading a few rare trigrams spread
over the term, then checking the candidates on their text, costs a fraction of reading them all.
The counts only steer which trigrams are read: stale or missing counts never change a result.
"""

from __future__ import annotations

# A plan reads this many trigrams of a term at most.
PLAN_GRAMS = 4
# A part whose rarest trigram is this many times more common than the others together is left
# out; and SQLite tries a plan only when it reads this many times fewer occurrences than the
# whole phrase would.
PLAN_SAVING = 4


def plan_offsets(term: str, occurrences: dict[str, int]) -> list[int]:
    """Where in `term` the trigrams of its plan start: the rarest trigram of each of up to
    PLAN_GRAMS parts of the term. Rare trigrams spread over the term keep the candidates few
    (the rarest ones tend to cluster in one word)."""
    grams = [(occurrences.get(term[i : i + 3], 0), i) for i in range(len(term) - 2)]
    parts = min(PLAN_GRAMS, len(grams))
    chosen = sorted(
        {min(grams[n * len(grams) // parts : (n + 1) * len(grams) // parts]) for n in range(parts)}
    )
    # A part whose rarest trigram is still far more common than the others together costs more
    # to read than it narrows the candidates: left out.
    while len(chosen) > 2 and chosen[-1][0] > PLAN_SAVING * sum(c for c, _ in chosen[:-1]):
        chosen.pop()
    return sorted(offset for _count, offset in chosen)


def plan_pays(term: str, occurrences: dict[str, int]) -> bool:
    """A plan pays when its trigrams occur far less often than the whole term's (a word made
    only of common trigrams is better read whole)."""
    counts = [occurrences.get(term[i : i + 3], 0) for i in range(len(term) - 2)]
    planned = sum(counts[i] for i in plan_offsets(term, occurrences))
    return planned * PLAN_SAVING <= sum(counts)


def trigrams(terms) -> list[str]:
    """Every trigram of these terms, once, sorted."""
    return sorted({t[i : i + 3] for t in terms for i in range(len(t) - 2)})
