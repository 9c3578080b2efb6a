"""tipor: case-intelligence and referral workbench against trafficking in persons for organ removal."""

__version__ = "0.1.0"
