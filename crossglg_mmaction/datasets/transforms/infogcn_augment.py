"""InfoGCN's skeleton augmentations as MMAction2 transforms.

InfoGCN (``feeders/feeder_ntu.py``, ``feeders/tools.py`` of the official
code) trains on a random temporal crop resized to a fixed window and a random
3D rotation, and tests on a centre crop. These transforms do the same on
MMAction2's ``keypoint`` arrays (M, T, V, C). They draw from their own
generators (:class:`~.seeded.SeededTransform`), so runs are reproducible
under ``randomness=dict(seed=...)``.
"""
import numpy as np

from mmaction.registry import TRANSFORMS
from .seeded import SeededTransform


def resize_frames(keypoint, length):
    """Linear interpolation along time (M, T, V, C) -> (M, length, V, C).

    Sample positions follow ``align_corners=False`` resizing.
    """
    frames = keypoint.shape[1]
    position = (np.arange(length) + 0.5) * frames / length - 0.5
    position = np.clip(position, 0, frames - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, frames - 1)
    weight = (position - low).astype(keypoint.dtype)[None, :, None, None]
    return keypoint[:, low] * (1 - weight) + keypoint[:, high] * weight


@TRANSFORMS.register_module()
class TemporalCropResize(SeededTransform):
    """Crop a temporal window and resize it to ``clip_len`` frames.

    Training: the window covers a random share ``p ~ U(ratio_range)`` of the
    sequence (at least ``clip_len`` frames when the sequence has them) at a
    random start. Test: the centred share ``test_ratio``. Then linear
    resizing to ``clip_len``. Replaces ``UniformSampleFrames`` +
    ``PoseDecode`` in InfoGCN-style pipelines.

    Required Keys:

        - keypoint (M, T, V, C)
        - total_frames

    Modified Keys:

        - keypoint
        - total_frames

    Added Keys:

        - clip_len
        - num_clips

    Args:
        clip_len (int): Output frames. Defaults to 64.
        ratio_range (tuple[float]): Range of the cropped share in training.
            Defaults to (0.5, 1.0).
        test_ratio (float): Centred share at test. Defaults to 0.95.
        test_mode (bool): Use the centre crop. Defaults to False.
    """

    def __init__(self, clip_len=64, ratio_range=(0.5, 1.0), test_ratio=0.95,
                 test_mode=False):
        if clip_len < 1:
            raise ValueError(f'TemporalCropResize: clip_len must be >= 1, '
                             f'got {clip_len}')
        low, high = ratio_range
        if not 0 < low <= high <= 1 or not 0 < test_ratio <= 1:
            raise ValueError('TemporalCropResize: crop ratios must lie in '
                             '(0, 1], got '
                             f'ratio_range={ratio_range}, test_ratio='
                             f'{test_ratio}')
        self.clip_len = clip_len
        self.ratio_range = ratio_range
        self.test_ratio = test_ratio
        self.test_mode = test_mode

    def transform(self, results):
        keypoint = results['keypoint']
        frames = min(results['total_frames'], keypoint.shape[1])
        if frames < 1:
            raise ValueError(f'sample {results.get("frame_dir")!r} has no '
                             'frames to crop')
        if self.test_mode:
            bias = int((1 - self.test_ratio) * frames / 2)
            start, length = bias, max(frames - 2 * bias, 1)
        else:
            share = self.rng.uniform(*self.ratio_range)
            length = int(np.clip(np.floor(frames * share),
                                 min(self.clip_len, frames), frames))
            start = int(self.rng.integers(0, frames - length + 1))
        window = keypoint[:, start:start + length]
        results['keypoint'] = resize_frames(window, self.clip_len)
        results['total_frames'] = self.clip_len
        results['clip_len'] = self.clip_len
        results['num_clips'] = 1
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'ratio_range={self.ratio_range}, test_ratio='
                f'{self.test_ratio}, test_mode={self.test_mode})')


@TRANSFORMS.register_module()
class RandomRotate3D(SeededTransform):
    """Rotate 3D skeletons by random angles about the x, y and z axes.

    Each angle is drawn from ``U(-max_angle, max_angle)`` radians (InfoGCN:
    0.3) and the rotation ``Rz @ Ry @ Rx`` is applied to the first three
    coordinates of every joint. Zero-padded joints stay zero.

    Required Keys:

        - keypoint (M, T, V, C>=3)

    Modified Keys:

        - keypoint

    Args:
        max_angle (float): Largest angle in radians. Defaults to 0.3.
    """

    def __init__(self, max_angle=0.3):
        if max_angle < 0:
            raise ValueError(f'RandomRotate3D: max_angle must be >= 0, got '
                             f'{max_angle}')
        self.max_angle = max_angle

    @staticmethod
    def rotation_matrix(angles):
        """Rz @ Ry @ Rx for angles (about x, about y, about z)."""
        (cx, cy, cz), (sx, sy, sz) = np.cos(angles), np.sin(angles)
        rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
        ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
        rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
        return rz @ ry @ rx

    def transform(self, results):
        keypoint = results['keypoint']
        if keypoint.shape[-1] < 3:
            raise ValueError('RandomRotate3D needs 3D keypoints, got '
                             f'{keypoint.shape[-1]} coordinates')
        angles = self.rng.uniform(-self.max_angle, self.max_angle, 3)
        rotation = self.rotation_matrix(angles).astype(keypoint.dtype)
        keypoint = keypoint.copy()
        keypoint[..., :3] = keypoint[..., :3] @ rotation.T
        results['keypoint'] = keypoint
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(max_angle={self.max_angle})'
