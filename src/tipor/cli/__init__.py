"""The `tipor` command line."""
