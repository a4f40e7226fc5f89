"""The frozen program's entry point: the `aiddesk` command."""

from aiddesk.cli import main

raise SystemExit(main())
