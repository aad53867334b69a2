from .infogcn_augment import RandomRotate3D, TemporalCropResize

__all__ = ['RandomRotate3D', 'TemporalCropResize']
