"""The API's OpenAPI 3.1 contract: response models, the document builder, `python -m devtools.openapi`.

Development only: the Lambda serves the generated file (chalicelib/assets/openapi.json)
and never imports this package.
"""
