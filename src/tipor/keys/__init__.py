"""Data keys: rotation of encrypted columns and evidence files, and which key holds what."""
