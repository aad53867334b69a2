"""CrossGLG for MMAction2: LLM-guided one-shot skeleton action recognition.

Importing the package applies the runtime fixes of :mod:`.compat` and
registers every module into MMAction2's registries, so a config needs only
``custom_imports = dict(imports=['crossglg_mmaction'],
allow_failed_imports=False)``.
"""
from . import compat

compat.apply()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .skeleton import LAYOUTS, Layout, get_layout  # noqa: E402
from .version import __version__  # noqa: E402

__all__ = ['LAYOUTS', 'Layout', 'get_layout', '__version__']
