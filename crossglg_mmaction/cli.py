"""What the command-line tools share: how they report a failed call."""
import contextlib
import sys


@contextlib.contextmanager
def exit_on_error(tool: str):
    """Turn a ``ValueError`` or ``FileNotFoundError`` of the block into
    ``TOOL: error: MESSAGE`` on stderr and exit status 1 (argparse's form,
    without the usage text), instead of a traceback.

    Args:
        tool (str): The tool's file name, e.g. 'test_oneshot.py'.
    """
    try:
        yield
    except (ValueError, FileNotFoundError) as error:
        sys.exit(f'{tool}: error: {error}')
