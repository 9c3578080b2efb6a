"""`python -m tipor.cli`."""

from tipor.cli.main import main

main()
