"""The command-line tools, importable as ``tools.<name>`` (the tests call
their ``main(argv)``); each runs as ``python tools/<name>.py``."""
