"""Content-addressed file store: files live at <root>/<first two hex>/<sha256>.

Writes go to a temporary file that is renamed into place only when complete, so a failed
upload never leaves a half file under a hash name. Reads recompute the hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from tipor.exceptions import IntegrityError

CHUNK = 1 << 20


class FileStore:
    """Evidence files on disk, addressed by SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the file with this hash lives."""
        return self.root / sha256[:2] / sha256

    def put(self, stream: BinaryIO, max_bytes: int) -> tuple[str, int, bool]:
        """Store a stream; returns (sha256, size, newly_written). Refuses over ``max_bytes``."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise ValueError(f"file is larger than the limit of {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            target = self.path(sha)
            if target.exists():
                tmp.unlink()
                return sha, size, False
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
            return sha, size, True
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def read_verified(self, sha256: str) -> bytes:
        """The file's bytes, after checking they still hash to ``sha256``."""
        target = self.path(sha256)
        if not target.is_file():
            raise IntegrityError(f"evidence file {sha256[:12]}… is missing from the store")
        data = target.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise IntegrityError(
                f"evidence file {sha256[:12]}… no longer matches its SHA-256 (now {actual[:12]}…): "
                "it was altered after upload; secure the original and report it")
        return data

    def remove(self, sha256: str) -> None:
        """Delete a stored file (used to undo a write whose database record failed)."""
        self.path(sha256).unlink(missing_ok=True)
