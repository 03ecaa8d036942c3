"""`python -m kartotek`: the kartotek command line (kartotek.cli)."""

import sys

from .cli import main

sys.exit(main())
