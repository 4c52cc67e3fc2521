# `make check` is what CI runs (.ci/run): tests, linters, and an installed-wheel smoke run.
.PHONY: check test lint screenshots page-picture bench

check:
	bash .ci/run

test:
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

screenshots:
	.venv/bin/python docs/screenshots.py docs

# Needs Debian's chromium; the tests do not compare these pictures (a browser's pixels vary by version).
page-picture:
	.venv/bin/python docs/page_picture.py docs

bench:
	.venv/bin/python bench/run.py
