"""The initiative admins' command line and its helpers — never shipped to Lambda.

Chalice packages ``app.py`` and ``chalicelib/`` only; nothing under ``admin/`` reaches the
deployment package, so its dependencies (openpyxl) live in ``requirements-dev.txt``.
"""
