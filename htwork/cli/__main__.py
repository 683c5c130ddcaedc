"""``python -m htwork.cli`` runs the command line (as ``python -m htwork`` and ``htwork`` do)."""

import sys

from htwork.cli import main

sys.exit(main())
