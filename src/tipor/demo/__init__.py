"""Synthetic, clearly fictional demo data."""
