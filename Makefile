# `make check` is what CI runs (.ci/run): tests, linters, and an installed-wheel smoke run.
.PHONY: check test lint screenshots bench

check:
	bash .ci/run

test:
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

# The page's pictures need Debian's chromium and chromium-driver (.ci/run installs them).
screenshots:
	.venv/bin/python docs/screenshots.py docs

bench:
	.venv/bin/python bench/run.py
