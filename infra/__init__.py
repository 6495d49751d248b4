"""Deployment tooling: the merge template for `chalice package` and the package build.

Development only: chalice ships app.py, chalicelib/ and requirements.txt's packages,
so nothing here reaches Lambda (tests/package asserts it on the built zip).
"""
