"""Indicator catalogue: sourced, six-language indicators, screening profiles and public cases.

Load with ``load_catalogue()`` (packaged data) or ``load_catalogue(path)``; check with
``validate_catalogue()``. The result is immutable; callers cache it if they want.
"""

from tipor.catalogue.loader import load_catalogue, packaged_data, validate_catalogue
from tipor.catalogue.model import Catalogue, ListedIndicator

__all__ = ["Catalogue", "ListedIndicator", "load_catalogue", "packaged_data", "validate_catalogue"]
