from __future__ import annotations

import sys

from contract_tests.cli import main

sys.exit(main())
