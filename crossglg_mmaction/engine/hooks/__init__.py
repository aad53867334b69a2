from .checkpoint_check_hook import CheckpointCheckHook
from .epoch_seed_hook import EpochSeedHook

__all__ = ['CheckpointCheckHook', 'EpochSeedHook']
