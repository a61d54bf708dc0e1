"""Run tjm as `python -m tjm`."""

from tjm.cli import main

main()
