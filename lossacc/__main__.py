"""``python -m lossacc``: the ``lossacc`` command (see ``lossacc.cli``)."""

import sys

from lossacc.cli import main

if __name__ == "__main__":
    sys.exit(main())
