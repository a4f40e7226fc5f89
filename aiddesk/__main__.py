from aiddesk.cli import main

raise SystemExit(main())
