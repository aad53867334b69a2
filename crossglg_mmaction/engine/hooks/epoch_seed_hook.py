"""Re-seed the random generators at the start of every training epoch."""
import functools
import random

import numpy as np
import torch
from mmengine.hooks import Hook

from mmaction.registry import HOOKS


def epoch_seed(seed: int, epoch: int) -> int:
    """A seed in [0, 2**31) derived from the run's seed and an epoch."""
    state = np.random.SeedSequence([seed % 2**63, epoch]).generate_state(1)
    return int(state[0]) % 2**31


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Make every training epoch's randomness a function of (seed, epoch).

    MMEngine seeds the random generators once, when the runner starts, and
    checkpoints do not hold generator states. A run resumed from
    ``epoch_N.pth`` therefore draws other augmentations, noise and dropout
    masks in epoch N+1 than the uninterrupted run did. Before each training
    epoch this hook seeds Python's and torch's generators of the main
    process with :func:`epoch_seed` of ``runner.seed`` (restored from the
    checkpoint on resume) and the epoch, and gives dataloader workers that
    start this epoch the same seed through MMEngine's ``worker_init_fn``.
    The skeleton transforms follow torch's seed with their own NumPy
    generators (:class:`~crossglg_mmaction.datasets.transforms.seeded.
    SeededTransform`); NumPy's global generator is left to MMEngine, which
    seeds it in every worker.

    Resume is bit-exact only when workers are not persistent
    (``num_workers=0`` or ``persistent_workers=False``): persistent workers
    start once and keep their generators across epochs. The hook logs
    which case a run is in. See docs/faults.md for every condition.
    """
    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        """Log whether a resume of this run can be bit-exact."""
        loader = runner.train_dataloader
        if loader.num_workers > 0 and loader.persistent_workers:
            runner.logger.warning(
                'EpochSeedHook: persistent dataloader workers keep their '
                'random state across epochs, so a resumed run draws other '
                'augmentations than an uninterrupted one; set '
                'train_dataloader.persistent_workers=False for bit-exact '
                'resume')

    def before_train_epoch(self, runner) -> None:
        """Seed the generators from ``(runner.seed, runner.epoch)``."""
        seed = epoch_seed(runner.seed, runner.epoch)
        random.seed(seed)
        torch.manual_seed(seed)
        loader = runner.train_dataloader
        init_fn = loader.worker_init_fn
        if isinstance(init_fn, functools.partial) and \
                'seed' in init_fn.keywords:
            loader.worker_init_fn = functools.partial(
                init_fn.func, *init_fn.args,
                **dict(init_fn.keywords, seed=seed))
