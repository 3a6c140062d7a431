"""``python -m govrules.cli``: the same command as the ``govrules`` console script."""

import sys

from govrules.cli import main

sys.exit(main())
