"""Screening engine: observations on a profile's indicators → explained level and next steps.

``screen(catalogue, request)`` is pure; ``parse_screening_input`` and ``result_to_dict``
convert to and from the documented JSON/YAML formats.
"""

from tipor.screening.engine import screen
from tipor.screening.formats import parse_screening_input, result_to_dict
from tipor.screening.models import ENGINE_VERSION, Observation, ScreeningRequest, ScreeningResult

__all__ = [
    "ENGINE_VERSION",
    "Observation",
    "ScreeningRequest",
    "ScreeningResult",
    "parse_screening_input",
    "result_to_dict",
    "screen",
]
