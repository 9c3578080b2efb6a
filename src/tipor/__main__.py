"""`python -m tipor`: the command line."""

from tipor.cli.main import main

main()
