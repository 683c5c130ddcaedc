"""``python -m htwork`` runs the command line."""

import sys

from htwork.cli import main

sys.exit(main())
