"""Run JupyterLab with every network address but loopback blocked (the browser test's server).

Usage: ``python tests/browser/_serve.py [jupyter lab options]``. The same block as the rest of
the suite (``tests/netblock.py``) is installed before JupyterLab starts, so neither the server
nor anything it imports can reach the network; its kernels load the block from the IPython
start-up folder the suite's ``conftest.py`` prepares.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import netblock  # noqa: E402

netblock.install()

from jupyterlab.labapp import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
