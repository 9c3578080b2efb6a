"""Evidence files: content-addressed storage, integrity on every read, chain of custody."""
