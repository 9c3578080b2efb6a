"""Evidence file store: files sealed with AES-256-GCM under random names, ``<root>/<2 hex>/<name>``.

Each upload gets its own random 32-hex name, not its SHA-256: a hash-named store lets anyone
who can list the folder test whether a known file is held, and shared files would link cases
of different agencies. The plaintext SHA-256 stays on the record (chain of custody) and is
recomputed on every read. Files are sealed in segments (``security/filecrypt.py``) bound to
their name. Writes go to a temporary file renamed into place only when complete, so a failed
upload never leaves a half file under a real name.

Files stored before encryption sit in clear under their hash (``<root>/<2 hex>/<sha256>``);
they are recognised by the missing header, still readable, and converted by ``reseal``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tipor.exceptions import IntegrityError
from tipor.security import filecrypt
from tipor.security.crypto import Keyring

CHUNK = 1 << 20
CLEAR = "(clear)"
NO_FILE = ""  # the store name of a record whose file this store does not hold


@dataclass(frozen=True)
class Stored:
    """A file just written: its store name, plaintext SHA-256 and size."""

    name: str
    sha256: str
    size: int


class FileStore:
    """Evidence files on disk, sealed under random names."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        """Where the file with this store name (or, for an old clear file, hash) lives."""
        return self.root / name[:2] / name

    def put(self, stream: BinaryIO, max_bytes: int, keyring: Keyring) -> Stored:
        """Seal a stream under a new name with the current key. Refuses over ``max_bytes``."""
        name = self.new_name()
        digest, size = hashlib.sha256(), 0
        with self._writing(name) as out:
            sealer = filecrypt.Sealer(keyring, name.encode(), out)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ValueError(f"file is larger than the limit of {max_bytes} bytes")
                digest.update(chunk)
                sealer.write(chunk)
            sealer.close()
        return Stored(name, digest.hexdigest(), size)

    @contextmanager
    def _writing(self, name: str) -> Iterator[BinaryIO]:
        """A temporary file that becomes ``path(name)`` only if the block completes."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
            target = self.path(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def chunks(self, keyring: Keyring, name: str) -> Iterator[bytes]:
        """The plaintext of a stored file, piece by piece (sealed or, if old, clear)."""
        if name == NO_FILE:
            raise IntegrityError("this evidence record has no file here (it was imported without "
                                 "it): transfer the file and check its SHA-256")
        target = self.path(name)
        if not target.is_file():
            raise IntegrityError(f"evidence file {name[:12]}… is missing from the store")
        with target.open("rb") as stream:
            head = stream.read(len(filecrypt.MAGIC))
            stream.seek(0)
            if filecrypt.is_sealed(head):
                try:
                    yield from filecrypt.open_segments(keyring, stream, name.encode())
                except IntegrityError as exc:
                    raise IntegrityError(f"evidence file {name[:12]}… cannot be decrypted: "
                                         f"{exc.message}; secure the original and report it"
                                         ) from None
                return
            while chunk := stream.read(CHUNK):
                yield chunk

    def read_verified(self, keyring: Keyring, name: str, sha256: str) -> bytes:
        """The file's bytes, after checking they still hash to ``sha256``."""
        data = b"".join(self.chunks(keyring, name))
        _check(sha256, hashlib.sha256(data).hexdigest())
        return data

    def reseal(self, keyring: Keyring, name: str, sha256: str, new_name: str | None = None) -> str:
        """Re-encrypt a file (sealed or clear) with the current key, verifying its hash on the
        way; written to ``new_name`` (default: in place). Returns the name it now has."""
        target = new_name or name
        digest = hashlib.sha256()
        with self._writing(target) as out:
            sealer = filecrypt.Sealer(keyring, target.encode(), out)
            for chunk in self.chunks(keyring, name):
                digest.update(chunk)
                sealer.write(chunk)
            sealer.close()
            _check(sha256, digest.hexdigest())  # before the rename: a bad file stays as it was
        return target

    def key_id(self, name: str) -> str | None:
        """The key a stored file is sealed with, CLEAR for an old clear file, None if missing."""
        target = self.path(name)
        if name == NO_FILE or not target.is_file():
            return None
        with target.open("rb") as stream:
            try:
                found = filecrypt.key_id_of(stream)
            except IntegrityError:
                return "(damaged)"
        return CLEAR if found is None else found

    @staticmethod
    def new_name() -> str:
        """A fresh random store name."""
        return secrets.token_hex(16)

    def remove(self, name: str) -> None:
        """Delete a stored file (undo a write whose record failed, or an old clear copy)."""
        self.path(name).unlink(missing_ok=True)


def _check(expected: str, actual: str) -> None:
    if actual != expected:
        raise IntegrityError(
            f"evidence file {expected[:12]}… no longer matches its SHA-256 (now {actual[:12]}…): "
            "it was altered after upload; secure the original and report it")
