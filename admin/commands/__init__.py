"""The admin commands, one module each; ``admin/cli.py`` puts them together."""
