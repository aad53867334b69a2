"""NTU RGB+D raw ``.skeleton`` files: MMAction2's own converter does it.

MMAction2 installs ``tools/data/skeleton/gen_ntu_rgbd_raw.py`` inside the
package (``mmaction/.mim/``); docs/data.md gives the exact command and how
to validate its output with ``tools/data/validate_pickle.py``.
"""
import os.path as osp


def ntu_converter_path() -> str:
    """Path of MMAction2's installed ``gen_ntu_rgbd_raw.py``."""
    import mmaction
    path = osp.join(
        osp.dirname(mmaction.__file__), '.mim', 'tools', 'data', 'skeleton',
        'gen_ntu_rgbd_raw.py')
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'MMAction2 converter not found at {path}; install mmaction2 '
            '1.2.0 from PyPI (its wheel ships tools/ under .mim)')
    return path
