"""EpochSeedHook: each training epoch's random numbers depend only on
(seed, epoch), in the main process and in the workers that start then."""
import functools
import random
from types import SimpleNamespace

import numpy as np
import torch
from mmengine.dataset import worker_init_fn
from torch.utils.data import DataLoader

from crossglg_mmaction.datasets.transforms import RandomRotate3D
from crossglg_mmaction.engine import EpochSeedHook
from crossglg_mmaction.engine.hooks.epoch_seed_hook import epoch_seed

ROTATE = RandomRotate3D()


def fake_runner(seed, epoch, num_workers=0, persistent_workers=False):
    init_fn = functools.partial(worker_init_fn, num_workers=num_workers,
                                rank=0, seed=seed)
    loader = DataLoader(range(4), num_workers=num_workers,
                        persistent_workers=persistent_workers,
                        worker_init_fn=init_fn)
    warnings = []
    return SimpleNamespace(seed=seed, epoch=epoch, train_dataloader=loader,
                           logger=SimpleNamespace(warning=warnings.append),
                           warnings=warnings)


def draws():
    """Python's, torch's and a skeleton transform's next random numbers."""
    return (random.random(), float(torch.rand(1)),
            float(ROTATE.rng.random()))


def test_generators_depend_on_seed_and_epoch_only():
    hook = EpochSeedHook()
    state = (random.getstate(), np.random.get_state(), torch.get_rng_state())
    try:
        hook.before_train_epoch(fake_runner(seed=3, epoch=1))
        first = draws()
        draws()  # the rest of the epoch (or of a killed run)
        hook.before_train_epoch(fake_runner(seed=3, epoch=2))
        assert all(a != b for a, b in zip(draws(), first))
        hook.before_train_epoch(fake_runner(seed=3, epoch=1))
        assert draws() == first
        hook.before_train_epoch(fake_runner(seed=4, epoch=1))
        assert all(a != b for a, b in zip(draws(), first))
    finally:
        random.setstate(state[0])
        np.random.set_state(state[1])
        torch.set_rng_state(state[2])


def test_numpy_global_generator_is_left_alone():
    state = (random.getstate(), np.random.get_state(), torch.get_rng_state())
    try:
        np.random.seed(0)
        expected = np.random.rand()
        np.random.seed(0)
        EpochSeedHook().before_train_epoch(fake_runner(seed=3, epoch=1))
        assert np.random.rand() == expected
    finally:
        random.setstate(state[0])
        np.random.set_state(state[1])
        torch.set_rng_state(state[2])


def test_workers_that_start_this_epoch_get_its_seed():
    runner = fake_runner(seed=3, epoch=5, num_workers=2)
    state = (random.getstate(), np.random.get_state(), torch.get_rng_state())
    try:
        EpochSeedHook().before_train_epoch(runner)
    finally:
        random.setstate(state[0])
        np.random.set_state(state[1])
        torch.set_rng_state(state[2])
    init_fn = runner.train_dataloader.worker_init_fn
    assert init_fn.func is worker_init_fn
    assert init_fn.keywords == dict(num_workers=2, rank=0,
                                    seed=epoch_seed(3, 5))
    assert epoch_seed(3, 5) != epoch_seed(3, 6)
    assert 0 <= epoch_seed(2**40, 10**6) < 2**31


def test_persistent_workers_are_reported():
    hook = EpochSeedHook()
    runner = fake_runner(seed=3, epoch=0, num_workers=2,
                         persistent_workers=True)
    hook.before_train(runner)
    warning, = runner.warnings
    assert 'set train_dataloader.persistent_workers=False for bit-exact ' \
        'resume' in warning
    for workers in (0, 2):
        runner = fake_runner(seed=3, epoch=0, num_workers=workers)
        hook.before_train(runner)
        assert runner.warnings == []
