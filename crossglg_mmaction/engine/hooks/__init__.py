from .checkpoint_check_hook import CheckpointCheckHook
from .epoch_seed_hook import EpochSeedHook
from .text_fields_check_hook import TextFieldsCheckHook

__all__ = ['CheckpointCheckHook', 'EpochSeedHook', 'TextFieldsCheckHook']
