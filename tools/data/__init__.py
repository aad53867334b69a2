"""Data converters and checkers: ``python tools/data/<name>.py``."""
