from rolereport.cli import main

raise SystemExit(main())
