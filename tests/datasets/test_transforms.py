"""InfoGCN's skeleton augmentations: what they do to a sample, and where
their random numbers come from."""
import functools

import numpy as np
import pytest
import torch
from mmengine.dataset import worker_init_fn
from torch.utils.data import DataLoader, Dataset

from crossglg_mmaction.datasets.transforms import (RandomRotate3D,
                                                   TemporalCropResize)
from crossglg_mmaction.datasets.transforms.infogcn_augment import \
    resize_frames


def sample(frames=40, persons=1, seed=0):
    keypoint = np.random.default_rng(seed).normal(
        size=(persons, frames, 25, 3)).astype(np.float32)
    return dict(keypoint=keypoint, total_frames=frames, frame_dir='s')


def augment(results, crop=None, rotate=None):
    crop = crop or TemporalCropResize(clip_len=16)
    rotate = rotate or RandomRotate3D()
    return rotate(crop(dict(results)))['keypoint']


def ramp(frames, persons=2, joints=25, channels=3, total=None):
    """keypoint[m, t, v, c] = t: every coordinate says its frame."""
    keypoint = np.broadcast_to(
        np.arange(frames, dtype=np.float32)[None, :, None, None],
        (persons, frames, joints, channels)).copy()
    return dict(keypoint=keypoint,
                total_frames=frames if total is None else total,
                frame_dir='ramp')


def crop_window(out, clip_len):
    """(start, length) of the window a ramp's crop was resized from."""
    first, last = float(out[0, 0, 0, 0]), float(out[0, -1, 0, 0])
    length = (last - first) * clip_len / (clip_len - 1)
    start = first - (0.5 * length / clip_len - 0.5)
    return start, length


def test_resize_frames_interpolates_linearly():
    keypoint = ramp(4)['keypoint']
    np.testing.assert_allclose(resize_frames(keypoint, 8)[0, :, 0, 0],
                               [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3])
    np.testing.assert_allclose(resize_frames(keypoint, 2)[0, :, 0, 0],
                               [0.5, 2.5])
    np.testing.assert_array_equal(resize_frames(keypoint, 4), keypoint)


def test_temporal_crop_resize_test_mode_is_the_centred_share():
    results = TemporalCropResize(clip_len=16, test_ratio=0.95,
                                 test_mode=True)(ramp(40))
    # int(0.05 * 40 / 2) = 1 frame off each end: frames 1..38
    assert results['keypoint'].shape == (2, 16, 25, 3)
    assert results['keypoint'].dtype == np.float32
    assert (results['total_frames'], results['clip_len'],
            results['num_clips']) == (16, 16, 1)
    start, length = crop_window(results['keypoint'], 16)
    assert (start, length) == pytest.approx((1, 38))
    again = TemporalCropResize(clip_len=16, test_mode=True)(ramp(40))
    np.testing.assert_array_equal(again['keypoint'], results['keypoint'])


def test_temporal_crop_resize_training_windows():
    crop = TemporalCropResize(clip_len=16, ratio_range=(0.5, 1.0))
    windows = set()
    for _ in range(200):
        out = crop(ramp(100))['keypoint']
        assert out.shape == (2, 16, 25, 3)
        assert np.all(np.diff(out[0, :, 0, 0]) > 0)  # in time order
        start, length = crop_window(out, 16)
        assert start == pytest.approx(round(start), abs=1e-3)
        assert length == pytest.approx(round(length), abs=1e-3)
        start, length = round(start), round(length)
        assert 50 <= length <= 100 and 0 <= start <= 100 - length
        windows.add((start, length))
    assert len(windows) > 100  # random shares and starts
    # a sequence shorter than clip_len is taken whole and stretched
    short = crop(ramp(10))['keypoint'][0, :, 0, 0]
    assert (short[0], short[-1]) == (0, 9)
    # only the first total_frames frames are real
    padded = crop(ramp(50, total=20))['keypoint']
    assert padded.max() <= 19


def test_temporal_crop_resize_rejects_bad_arguments():
    with pytest.raises(ValueError, match='crop ratios must lie in'):
        TemporalCropResize(ratio_range=(0.5, 1.2))
    with pytest.raises(ValueError, match='crop ratios must lie in'):
        TemporalCropResize(test_ratio=0)
    with pytest.raises(ValueError, match="sample 'ramp' has no frames"):
        TemporalCropResize(clip_len=4)(ramp(3, total=0))


def test_random_rotate_3d_is_a_rotation_within_max_angle():
    results = sample(persons=2)
    results['keypoint'][:, :, 3] = 0  # a zero-padded joint
    results['keypoint'] = np.concatenate(  # a 4th channel (e.g. a score)
        [results['keypoint'], np.ones_like(results['keypoint'][..., :1])],
        axis=-1)
    given, original = results['keypoint'], results['keypoint'].copy()
    out = RandomRotate3D(max_angle=0.3)(results)['keypoint']
    np.testing.assert_array_equal(given, original)  # not changed in place
    assert out.dtype == np.float32 and out.shape == original.shape
    np.testing.assert_array_equal(out[..., 3], 1)
    np.testing.assert_array_equal(out[:, :, 3], original[:, :, 3])
    xyz, before = out[..., :3].reshape(-1, 3), original[..., :3].reshape(
        -1, 3)
    np.testing.assert_allclose(np.linalg.norm(xyz, axis=1),
                               np.linalg.norm(before, axis=1), rtol=1e-5)
    rotation, *_ = np.linalg.lstsq(before, xyz, rcond=None)
    np.testing.assert_allclose(rotation.T @ rotation, np.eye(3), atol=1e-4)
    assert np.linalg.det(rotation) == pytest.approx(1, abs=1e-4)
    # Rz @ Ry @ Rx with every angle within 0.3 rad: the rotation angle
    # is at most 3 x 0.3
    angle = np.arccos(np.clip((np.trace(rotation) - 1) / 2, -1, 1))
    assert 0 < angle <= 0.9 + 1e-4
    unchanged = RandomRotate3D(max_angle=0)(sample())
    np.testing.assert_allclose(unchanged['keypoint'], sample()['keypoint'])


def test_rotation_matrix_axes():
    about_x = RandomRotate3D.rotation_matrix(np.array([np.pi / 2, 0, 0]))
    np.testing.assert_allclose(about_x @ [0, 1, 0], [0, 0, 1], atol=1e-12)
    about_z = RandomRotate3D.rotation_matrix(np.array([0, 0, np.pi / 2]))
    np.testing.assert_allclose(about_z @ [1, 0, 0], [0, 1, 0], atol=1e-12)
    with pytest.raises(ValueError, match='needs 3D keypoints, got 2'):
        RandomRotate3D()(dict(keypoint=np.zeros((1, 4, 25, 2))))
    with pytest.raises(ValueError, match='max_angle must be >= 0'):
        RandomRotate3D(max_angle=-0.1)


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
