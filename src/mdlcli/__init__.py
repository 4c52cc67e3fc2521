"""mdl: a command-line assistant over a YAML course database."""

# A plain string, not importlib.metadata: `mdl --version` must not pay for a metadata scan.
__version__ = "0.1.0"
