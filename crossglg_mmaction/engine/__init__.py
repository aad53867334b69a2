from .hooks import CheckpointCheckHook, EpochSeedHook

__all__ = ['CheckpointCheckHook', 'EpochSeedHook']
