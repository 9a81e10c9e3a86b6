"""Where the running server can be reached from, as the facts are, not as the defaults say.

Local mode (no sign-in, the one user is an admin) is safe only while nobody else can reach the
server. That is decided from the sockets this process actually listens on (Linux: the
``/proc/self`` socket table; elsewhere Streamlit's effective ``server.address`` option, where an
empty address means every interface), and, per visitor, from the request: it must be addressed
to a loopback name and must not have come through a proxy.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path

from streamlit import config

PROC_TABLES = {"tcp": Path("/proc/self/net/tcp"), "tcp6": Path("/proc/self/net/tcp6")}
LISTEN = "0A"
"""TCP state of a listening socket in /proc/net/tcp."""
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip")
SOCKET_LINK = re.compile(r"socket:\[(\d+)\]")


@dataclass(frozen=True)
class Endpoint:
    host: str
    """Numeric address; ``0.0.0.0`` or ``::`` for every interface."""
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1, an IPv4-mapped loopback and the name ``localhost``; False for
    everything else, including the empty address and ``0.0.0.0`` / ``::`` (every interface)."""
    if not host:
        return False
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def running_under_test_harness() -> bool:
    """True inside ``streamlit.testing`` (AppTest): the script runs without any server."""
    return bool(config.get_option("global.appTest"))


def listening_endpoints() -> tuple[Endpoint, ...]:
    """The TCP endpoints this process listens on (the Streamlit server's socket). Empty when
    they cannot be read; never the configured default instead of the fact, on Linux."""
    if all(table.exists() for table in PROC_TABLES.values()):
        return _from_proc()
    return _from_config()


def _from_proc() -> tuple[Endpoint, ...]:
    inodes = set()
    fd_dir = Path("/proc/self/fd")
    for fd in os.listdir(fd_dir):
        try:
            found = SOCKET_LINK.fullmatch(os.readlink(fd_dir / fd))
        except OSError:  # closed between listdir and readlink
            continue
        if found:
            inodes.add(found.group(1))
    endpoints = []
    for family, table in PROC_TABLES.items():
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if len(fields) > 9 and fields[3] == LISTEN and fields[9] in inodes:
                host, port = fields[1].split(":")
                endpoints.append(Endpoint(_proc_address(host, family), int(port, 16)))
    return tuple(sorted(set(endpoints), key=str))


def _proc_address(hex_host: str, family: str) -> str:
    """/proc/net/tcp{,6} addresses are 32-bit words in host (little-endian) byte order."""
    raw = bytes.fromhex(hex_host)
    packed = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.IPv4Address(packed) if family == "tcp" else ipaddress.IPv6Address(packed))


def _from_config() -> tuple[Endpoint, ...]:
    address = config.get_option("server.address") or "0.0.0.0"  # noqa: S104 - Streamlit's own default
    return (Endpoint(address, int(config.get_option("server.port"))),)


def describe(endpoints: tuple[Endpoint, ...]) -> str:
    """``127.0.0.1:8501`` / ``0.0.0.0:8501 (every network interface)`` …, for messages."""
    if not endpoints:
        return "an address that could not be determined"
    parts = []
    for e in endpoints:
        everywhere = e.host in ("0.0.0.0", "::")  # noqa: S104 - recognising it, not binding it
        parts.append(f"{e} (every network interface)" if everywhere else str(e))
    return ", ".join(parts)


def request_problem(headers, remote_ip: str | None) -> str | None:
    """Why this visitor's request cannot be served in local mode, or None.

    `headers` are the request's (case-insensitive mapping), `remote_ip` the peer address
    (Streamlit gives None for a loopback peer). A proxy in front (a forwarding header), a request
    addressed to a name other than loopback (DNS rebinding, or a proxy that rewrites Host), or a
    peer that is not this computer each mean someone other than the local user may be asking."""
    def header(name: str) -> str:
        value = headers.get(name)
        return value if isinstance(value, str) else ""

    forwarded = [name for name in FORWARDING_HEADERS if header(name)]
    if forwarded:
        return f"the request came through a proxy (it carries {', '.join(forwarded)})"
    host = header("Host")
    if host and not is_loopback(_host_name(host)):
        return f"the request was addressed to '{host}', not to this computer's loopback address"
    if isinstance(remote_ip, str) and remote_ip and not is_loopback(remote_ip):
        return f"the request came from {remote_ip}, not from this computer"
    return None


def _host_name(host_header: str) -> str:
    """The name of a Host header without its port: ``[::1]:8501`` → ``::1``."""
    value = host_header.strip()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value
