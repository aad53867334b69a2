"""Runtime fixes for the pinned OpenMMLab stack.

Applied once by ``import crossglg_mmaction`` before ``mmaction.models`` is
imported (see ``docs/install.md``):

1. mmaction2 1.2.0 wheels lack ``mmaction.models.localizers.drn``
   (open-mmlab/mmaction2#2714), so ``import mmaction.models`` fails. A
   placeholder module is registered in ``sys.modules``.
2. With ``transformers`` installed, mmaction imports its multimodal models,
   which need ``timm`` (and a CUDA build of torch). They are switched off.
3. torch >= 2.6 loads checkpoints with ``weights_only=True``; MMEngine
   checkpoints hold a few non-tensor objects. Exactly those are allow-listed;
   weights-only loading stays on.
4. MMEngine's launchers assume a GPU per process (``torch.cuda.set_device``,
   DDP ``device_ids``); on a machine without one, distributed runs use the
   CPU with gloo instead. Applied only in a process that a distributed
   launcher started on the CPU (:mod:`.cpu_distributed`,
   docs/distributed.md).
"""
import sys
import types

import numpy as np
import torch

from . import cpu_distributed

MMENGINE_RANGE = ('0.10.7', '1.0.0')
MMCV_RANGE = ('2.0.0rc4', '2.2.0')
MMACTION_RANGE = ('1.2.0', '1.3.0')

_DRN_MODULES = ('mmaction.models.localizers.drn',
                'mmaction.models.localizers.drn.drn')


class _DRNPlaceholder:
    """Stands in for mmaction's DRN localizer, absent from the 1.2.0 wheel."""

    def __init__(self, *args, **kwargs):
        raise ImportError(
            'DRN is missing from the mmaction2 1.2.0 wheel '
            '(open-mmlab/mmaction2#2714); install mmaction2 from source '
            'to use it.')


def check_versions():
    """Raise ``ImportError`` naming the package when a version is unsupported."""
    from packaging.version import parse

    import mmcv
    import mmengine

    import mmaction
    for name, module, (low, high) in (
            ('mmengine', mmengine, MMENGINE_RANGE),
            ('mmcv', mmcv, MMCV_RANGE),
            ('mmaction2', mmaction, MMACTION_RANGE)):
        version = parse(module.__version__)
        if not parse(low) <= version < parse(high):
            raise ImportError(
                f'crossglg_mmaction supports {name}>={low},<{high}, but '
                f'{name} {module.__version__} is installed. Install the '
                'pinned stack with `make install` (see requirements/).')


def add_missing_drn_module():
    """Fix 1: register placeholder ``mmaction.models.localizers.drn``."""
    for name in _DRN_MODULES:
        if name not in sys.modules:
            module = types.ModuleType(name)
            module.DRN = _DRNPlaceholder
            sys.modules[name] = module
    sys.modules[_DRN_MODULES[0]].drn = sys.modules[_DRN_MODULES[1]]


def disable_multimodal_models():
    """Fix 2: keep mmaction from importing models that need ``timm``."""
    from mmaction.utils import dependency
    dependency.WITH_MULTIMODAL = False


def checkpoint_safe_globals():
    """The non-tensor objects an MMEngine 0.10.7 checkpoint holds."""
    from mmengine.logging.history_buffer import HistoryBuffer
    dtype_classes = [type(np.dtype(code)) for code in '?bBhHiIlLqQefdgFDGOSUV']
    scalar_types = [
        np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32,
        np.uint32, np.int64, np.uint64, np.float16, np.float32, np.float64,
        np.complex64, np.complex128
    ]
    return [
        HistoryBuffer, np._core.multiarray._reconstruct,
        np._core.multiarray.scalar, np.ndarray, np.dtype, getattr,
        *dtype_classes, *scalar_types
    ]


def allow_checkpoint_globals():
    """Fix 3: allow-list MMEngine checkpoint contents for weights-only load."""
    torch.serialization.add_safe_globals(checkpoint_safe_globals())


def apply():
    """Apply all fixes; idempotent."""
    add_missing_drn_module()
    disable_multimodal_models()
    check_versions()
    allow_checkpoint_globals()
    cpu_distributed.apply_if_launched()
