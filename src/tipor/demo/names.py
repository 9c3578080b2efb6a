"""Deterministic fictional names: invented syllables, never real people.

Every generated person name carries the word "Fictional" so that nobody can mistake demo
data for a real identity, even in a screenshot.
"""

from __future__ import annotations

import random

_FIRST = ("Ara", "Bel", "Cor", "Dal", "Esh", "Fen", "Gor", "Hal", "Ith", "Jor", "Kel", "Lum",
          "Mir", "Nov", "Ost", "Pel", "Quil", "Ros", "Sar", "Tov", "Ul", "Ves", "Wen", "Zor")
_SECOND = ("an", "ella", "ir", "o", "ina", "us", "eth", "ia", "on", "a", "ek", "is")
_FAMILY = ("Brightwater", "Cloudmere", "Duskfield", "Emberly", "Fallowmark", "Glimmerton",
           "Hollowstone", "Ivorybrook", "Juniperdale", "Kestrelholm", "Larkspur", "Mossgrove")


def person_name(rng: random.Random) -> str:
    """A fictional full name, e.g. 'Fictional Miro Duskfield'."""
    given = rng.choice(_FIRST) + rng.choice(_SECOND)
    return f"Fictional {given} {rng.choice(_FAMILY)}"


def place_name(rng: random.Random) -> str:
    """A fictional town name."""
    return rng.choice(_FIRST) + rng.choice(("ford", "bad", "pur", "abad", "ville", "grad"))
