"""The suite really blocks the network (so a hidden download would fail it)."""

import socket

import pytest

from tests.netblock import NetworkBlocked


def test_outside_address_is_blocked():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NetworkBlocked):
            s.connect(("93.184.216.34", 80))
    finally:
        s.close()


def test_name_resolution_is_blocked():
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("pypi.org", 443)


def test_loopback_is_allowed():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect(server.getsockname())
    finally:
        client.close()
        server.close()


@pytest.mark.slow
def test_notebook_kernels_are_blocked_too():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import socket\n"
            "try:\n"
            "    socket.create_connection(('93.184.216.34', 80), timeout=1)\n"
            "    outcome = 'connected'\n"
            "except OSError as err:\n"
            "    outcome = type(err).__name__\n"
            "print(outcome)"
        )
    ]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    assert nb.cells[0].outputs[0]["text"].strip() == "NetworkBlocked"
