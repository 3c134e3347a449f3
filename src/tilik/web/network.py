"""Who is on the other end of a request: the client address behind trusted proxies.

Behind the TLS proxy the README recommends (or a load balancer), ``REMOTE_ADDR`` is the
proxy's address for every request. ``TILIK_TRUSTED_PROXIES`` names the proxies (addresses or
networks, comma-separated); their ``X-Forwarded-For`` is read right to left, skipping the
trusted hops, and the first address that is not a trusted proxy is the client. A header sent
by anyone else is ignored: a client cannot choose its own address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The trusted networks; an entry that is not one is left out (check tilik.E001 names
    it) rather than failing every request."""
    found = []
    for proxy in proxies:
        try:
            found.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:
            continue
    return tuple(found)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:5123
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the nearest untrusted hop of
    ``X-Forwarded-For`` when the request came through a trusted proxy."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return ""
    networks = _networks(tuple(getattr(settings, "TILIK_TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be trusted
        if not _trusted(address, networks):
            return str(address)
        remote = address
    return str(remote)


def axes_client_ip(request) -> str:
    """``AXES_CLIENT_IP_CALLABLE``: login throttling keys on the same address."""
    return client_ip(request)
