"""Password hashing (argon2id) and a minimum-strength rule."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type

# OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=Type.ID)
MIN_LENGTH = 12
_COMMON = frozenset(
    {
        "password1234", "123456789012", "qwertyuiop12", "letmein12345", "administrator",
        "passwordpassword", "iloveyou1234", "welcome12345", "tipor1234567", "changeme1234",
    }
)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; never raises on a malformed hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(password_hash)


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Why a password is too weak, as messages a person can act on (empty when fine)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"use at least {MIN_LENGTH} characters (this one has {len(password)})")
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) < 20 and classes < 3:
        problems.append(
            "mix at least three of: lower-case, upper-case, digits, symbols "
            "(or use a passphrase of 20 characters or more)"
        )
    if password.lower() in _COMMON or len(set(password)) < 5:
        problems.append("this password is too common or repetitive")
    if username and username.lower() in password.lower():
        problems.append("do not put the username inside the password")
    return problems


#: A hash of a random password, verified against when the account does not exist so that
#: the response time does not reveal which usernames exist.
DUMMY_HASH = hash_password("dummy-password-for-timing-Z9!")
