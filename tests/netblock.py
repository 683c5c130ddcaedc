"""Block every network address but loopback, in this process and in notebook kernels.

``install()`` patches :mod:`socket` so that connecting to (or resolving) anything other than a
loopback address raises ``OSError``. The test suite installs it in the pytest process, and puts
this file in an IPython start-up folder so that the kernels nbval starts load it too. A hidden
download anywhere in htwork therefore fails the suite.
"""

from __future__ import annotations

import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def _is_local(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        addr = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return addr.is_loopback or addr.is_unspecified


class NetworkBlocked(OSError):
    """Raised when code under test tries to reach a non-loopback address."""


def install() -> None:
    """Patch :mod:`socket` (idempotent)."""
    if getattr(socket, "_htwork_blocked", False):
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def _check(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if not _is_local(host):
                raise NetworkBlocked(f"network access blocked in tests: {address!r}")

    def connect(self, address):  # type: ignore[no-untyped-def]
        _check(self, address)
        return real_connect(self, address)

    def connect_ex(self, address):  # type: ignore[no-untyped-def]
        _check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _is_local(host):
            raise NetworkBlocked(f"name resolution blocked in tests: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    socket._htwork_blocked = True  # type: ignore[attr-defined]


if __name__ == "__main__":  # loaded as an IPython start-up file in notebook kernels
    install()
