"""The client's address behind reverse proxies, believing forwarded headers only from trusted ones.

Any client can send ``X-Forwarded-For``; if it were believed, one attacker could present a new
address on every sign-in attempt and never meet the per-address throttle. So the header is read
only when the direct peer is a configured proxy (``TIPOR_TRUSTED_PROXIES``), and then from the
right: each trusted hop is skipped and the first untrusted address is the client. Entries left of
it were written by the client itself and are ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def parse_networks(spec: str) -> tuple[Network, ...]:
    """Comma-separated addresses or CIDRs as networks; ValueError names a bad entry."""
    networks: list[Network] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{part!r} is not an IP address or CIDR range (e.g. 10.0.0.5, "
                             "10.0.0.0/24 or ::1); separate entries with commas") from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    """Whether an address lies in one of the trusted networks."""
    parsed = _address(address)
    return parsed is not None and any(parsed in net for net in trusted)


def client_address(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The address to throttle and audit: the peer, unless it is a trusted proxy."""
    if not trusted or not forwarded_for or not is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        parsed = _address(hop)
        if parsed is None:
            return peer  # a garbled header is not evidence of anything
        if not any(parsed in net for net in trusted):
            return str(parsed)
    return str(_address(hops[0])) if hops else peer
