"""Analyses of runs and texts: ``python tools/analysis/<name>.py``."""
