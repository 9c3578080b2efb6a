"""Plain-text views of encrypted columns, filled in by the service that decrypted them.

A model keeps the ciphertext in ``<name>_enc`` and declares ``<name> = Revealed()``. The service
that loads the row decrypts it with the caller's keyring and calls :func:`reveal`; pages,
templates and read models then read ``row.<name>`` as before. Reading it before that raises
:class:`NotRevealed` (a programming error, loud) rather than giving the ciphertext or "", and
assigning it is refused, so no code can believe it stored a value in clear.
"""

from __future__ import annotations

from typing import Any, overload


class NotRevealed(RuntimeError):
    """An encrypted attribute was read before its service decrypted it."""


class Revealed:
    """Descriptor for the decrypted value of the sibling ``<name>_enc`` column."""

    name = ""
    owner = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name, self.owner = name, owner.__name__

    @property
    def slot(self) -> str:
        """Where the decrypted value is kept on the instance."""
        return f"_revealed_{self.name}"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Revealed: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> str: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Revealed | str:
        if obj is None:
            return self
        try:
            value: str = obj.__dict__[self.slot]
        except KeyError:
            raise NotRevealed(f"{self.owner}.{self.name} is stored encrypted: read the row through "
                              "its service, which decrypts it") from None
        return value

    def __set__(self, obj: object, value: Any) -> None:
        raise TypeError(f"{self.owner}.{self.name} is stored encrypted: set {self.name}_enc "
                        "with the keyring and call reveal()")


def reveal(obj: object, name: str, value: str) -> None:
    """Attach the decrypted value of ``obj.<name>_enc`` so ``obj.<name>`` can be read."""
    descriptor = type(obj).__dict__.get(name)
    if not isinstance(descriptor, Revealed):
        raise TypeError(f"{type(obj).__name__}.{name} is not an encrypted attribute")
    obj.__dict__[descriptor.slot] = value
