"""Place names as text: a jurisdiction's level (省/市/县/区) and its short form.

Used where documents name agencies (index.agencies) and where questions name places
(intents.understand), so it lives in the lowest layer.
"""
from __future__ import annotations

LEVELS = "省市县区"


def jurisdiction_short(jurisdiction: str) -> str:
    """三亚市 → 三亚, 四川省 → 四川; 省会城市 stays whole."""
    if len(jurisdiction) >= 3 and jurisdiction[-1] in LEVELS and not jurisdiction.endswith("城市"):
        return jurisdiction[:-1]
    return jurisdiction


def jurisdiction_level(jurisdiction: str) -> str | None:
    last = jurisdiction[-1:] if jurisdiction else ""
    return last if last in LEVELS else None
