"""``python -m desktop``: the same entry point as the ``timeline-viewer`` command."""

import sys

from desktop.app import main

sys.exit(main())
