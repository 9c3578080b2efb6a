"""Web interface: server-rendered pages and the JSON API under /api/v1."""
