"""InfoGCN's skeleton augmentations: what they do to a sample, and where
their random numbers come from."""
import functools

import numpy as np
import torch
from mmengine.dataset import worker_init_fn
from torch.utils.data import DataLoader, Dataset

from crossglg_mmaction.datasets.transforms import (RandomRotate3D,
                                                   TemporalCropResize)


def sample(frames=40, persons=1, seed=0):
    keypoint = np.random.default_rng(seed).normal(
        size=(persons, frames, 25, 3)).astype(np.float32)
    return dict(keypoint=keypoint, total_frames=frames, frame_dir='s')


def augment(results, crop=None, rotate=None):
    crop = crop or TemporalCropResize(clip_len=16)
    rotate = rotate or RandomRotate3D()
    return rotate(crop(dict(results)))['keypoint']


def test_draws_follow_torch_seed_not_numpy_global_state():
    results = sample()
    state = torch.get_rng_state()
    try:
        torch.manual_seed(1)
        np.random.seed(0)
        numpy_state = np.random.get_state()[1].copy()
        first = augment(results)
        np.testing.assert_array_equal(np.random.get_state()[1], numpy_state)
        torch.manual_seed(1)
        np.random.seed(123)  # no influence
        np.testing.assert_array_equal(augment(results), first)
        torch.manual_seed(2)
        assert not np.allclose(augment(results), first)
    finally:
        torch.set_rng_state(state)


def test_each_transform_has_its_own_stream():
    state = torch.get_rng_state()
    try:
        torch.manual_seed(5)
        crop, rotate = TemporalCropResize(), RandomRotate3D()
        assert crop.rng.random() != rotate.rng.random()
        other = RandomRotate3D()
        torch.manual_seed(5)
        assert other.rng.random() == RandomRotate3D().rng.random()
    finally:
        torch.set_rng_state(state)


class Draws(Dataset):
    """Each item: the rotation angles the transform draws for it."""

    def __init__(self):
        self.rotate = RandomRotate3D()

    def __len__(self):
        return 4

    def __getitem__(self, idx):
        return self.rotate.rng.uniform(size=3)


def worker_draws(seed):
    loader = DataLoader(
        Draws(), batch_size=1, num_workers=2,
        worker_init_fn=functools.partial(worker_init_fn, num_workers=2,
                                         rank=0, seed=seed))
    return np.concatenate([batch.numpy() for batch in loader])


def test_workers_draw_apart_and_reproducibly():
    draws = worker_draws(seed=7)  # workers alternate: items 0, 2 | 1, 3
    assert not np.allclose(draws[0], draws[1])
    np.testing.assert_array_equal(worker_draws(seed=7), draws)
    assert not np.allclose(worker_draws(seed=8), draws)
