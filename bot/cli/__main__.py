"""`python -m bot.cli`: the faqbot command."""

from bot.cli.main import main

raise SystemExit(main())
