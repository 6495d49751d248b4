"""``python -m admin …``, the same as ``.venv/bin/gk-admin …`` (or ``make admin ARGS="…"``)."""

from admin.cli import main

main()
