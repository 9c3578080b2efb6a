"""Case bundles, HTCDS export and key rotation."""
