from __future__ import annotations

from mock_server.cli import main

raise SystemExit(main())
