"""`python -m hexie.scripts.bench` (`make bench`): see `main`."""

import sys

from .main import main

sys.exit(main())
