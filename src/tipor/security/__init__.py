"""Authentication, authorisation and cryptography."""
