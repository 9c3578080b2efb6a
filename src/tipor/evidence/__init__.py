"""Evidence files: content-addressed storage, integrity on every read, chain of custody."""

from tipor.evidence import detail as _detail

# Importing the package (as the evidence routes and tables do) adds the evidence records to
# the case read model; the case file itself does not import evidence.
_detail.register()
