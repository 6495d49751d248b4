"""``python -m admin …`` (or ``make admin ARGS="…"``)."""

from admin.cli import main

main()
