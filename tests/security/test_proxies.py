"""Forwarded addresses are believed only from trusted proxies (TIPOR_TRUSTED_PROXIES)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tipor.security.proxies import client_address, parse_networks
from tipor.settings import Settings

PROXIES = parse_networks("10.0.0.5, 192.168.1.0/24, ::1")


@pytest.mark.parametrize("peer,header,expected", [
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),             # untrusted peer: header ignored
    ("10.0.0.5", "198.51.100.1", "198.51.100.1"),               # trusted proxy: its client
    ("10.0.0.5", "1.1.1.1, 198.51.100.1", "198.51.100.1"),      # left entries are the client's own
    ("10.0.0.5", "198.51.100.1, 192.168.1.20", "198.51.100.1"),  # a second trusted hop is skipped
    ("10.0.0.5", "", "10.0.0.5"),                               # no header: the proxy itself
    ("10.0.0.5", "not-an-ip", "10.0.0.5"),                      # garbled: not believed
    ("10.0.0.5", "198.51.100.1:4444", "198.51.100.1"),          # port stripped
    ("::1", "[2001:db8::7]:443", "2001:db8::7"),
    ("10.0.0.6", "198.51.100.1", "10.0.0.6"),                   # neighbour of a proxy: untrusted
])
def test_client_address(peer: str, header: str, expected: str) -> None:
    assert client_address(peer, header, PROXIES) == expected


def test_no_trusted_proxies_means_header_never_read() -> None:
    assert client_address("127.0.0.1", "198.51.100.1", parse_networks("")) == "127.0.0.1"


@given(st.lists(st.ip_addresses().map(str), min_size=1, max_size=5))
def test_untrusted_peer_cannot_choose_its_address(forged: list[str]) -> None:
    """Whatever an untrusted client writes, the address is its own."""
    assert client_address("203.0.113.9", ", ".join(forged), PROXIES) == "203.0.113.9"


@pytest.mark.parametrize("bad", ["10.0.0.300", "proxy.example", "10.0.0.0/33"])
def test_bad_setting_is_refused_naming_the_entry(bad: str) -> None:
    with pytest.raises(ValidationError) as err:
        Settings(trusted_proxies=f"10.0.0.5,{bad}")
    assert repr(bad) in str(err.value)
