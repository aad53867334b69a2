"""Small file helpers shared by tools and caches."""
import contextlib
import hashlib
import json
import os
import os.path as osp
import tempfile


@contextlib.contextmanager
def atomic_write(path, mode='w', encoding=None):
    """Open a temporary file next to ``path``; move it over ``path`` on success.

    A process killed while writing leaves the previous ``path`` (or nothing)
    and never a truncated file.

    Args:
        path (str): Destination file.
        mode (str): ``'w'`` for text or ``'wb'`` for bytes. Defaults to 'w'.
        encoding (str, optional): Text encoding. Defaults to utf-8 for text.
    """
    if mode not in ('w', 'wb'):
        raise ValueError(f'atomic_write mode must be "w" or "wb", got {mode!r}')
    directory = osp.dirname(osp.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=directory)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600 files
    if mode == 'w' and encoding is None:
        encoding = 'utf-8'
    try:
        with os.fdopen(fd, mode, encoding=encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_sha256(path, chunk_size=1 << 20):
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(chunk_size), b''):
            digest.update(chunk)
    return digest.hexdigest()


def read_json(path, error=ValueError):
    """Load a UTF-8 JSON file; malformed content raises ``error`` naming the
    file and the position of the problem."""
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except json.JSONDecodeError as err:
        raise error(f'{path}: not valid JSON: {err.msg} at line '
                    f'{err.lineno}, column {err.colno}') from None
    except UnicodeDecodeError as err:
        raise error(f'{path}: not UTF-8 text ({err})') from None


def read_text(path, encoding='utf-8', error=ValueError):
    """A text file's content; bytes that are not ``encoding`` raise
    ``error`` naming the file, the line and how to go on.

    Args:
        path (str): The file.
        encoding (str): Its encoding; a UTF-8 byte-order mark is dropped.
            Defaults to 'utf-8'.
        error (type): Exception class to raise. Defaults to ValueError.
    """
    import codecs
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise error(f'{path}: unknown text encoding {encoding!r}') from None
    with open(path, 'rb') as f:
        raw = f.read()
    try:
        return raw.decode('utf-8-sig' if codec == 'utf-8' else codec)
    except UnicodeDecodeError as err:
        line = raw.count(b'\n', 0, err.start) + 1
        column = err.start - raw.rfind(b'\n', 0, err.start)
        raise error(
            f'{path}:{line}: not {encoding} text (byte '
            f'{raw[err.start]:#04x} at column {column}: {err.reason}); save '
            'the file as UTF-8, or give its encoding (e.g. --encoding '
            'latin-1)') from None
