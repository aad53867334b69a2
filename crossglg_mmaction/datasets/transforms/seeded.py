"""Random skeleton transforms with their own NumPy generator."""
import zlib

import numpy as np
import torch
from mmcv.transforms import BaseTransform


class SeededTransform(BaseTransform):
    """Base of the transforms that draw random numbers.

    A transform draws from :attr:`rng`, its own ``np.random.Generator``,
    never from NumPy's global state. The generator is seeded with torch's
    seed (``torch.initial_seed()``) and the transform's class name, and
    made anew whenever torch's seed changes. MMEngine seeds torch from
    ``randomness.seed`` when a run starts and in every dataloader worker
    (``seed + num_workers * rank + worker_id``), and
    :class:`~crossglg_mmaction.engine.EpochSeedHook` seeds it before every
    training epoch. So the draws are reproducible, differ between workers,
    ranks and transforms, and, with the hook, depend only on the seed and
    the epoch.
    """
    _generator = None
    _generator_seed = None

    @property
    def rng(self) -> np.random.Generator:
        """The generator for torch's current seed."""
        seed = torch.initial_seed()
        if self._generator is None or self._generator_seed != seed:
            salt = zlib.crc32(type(self).__name__.encode())
            self._generator = np.random.default_rng([seed, salt])
            self._generator_seed = seed
        return self._generator
