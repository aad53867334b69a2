from .checkpoint_check_hook import CheckpointCheckHook
from .epoch_seed_hook import EpochSeedHook
from .guidance_diagnostics_hook import GuidanceDiagnosticsHook
from .text_fields_check_hook import TextFieldsCheckHook

__all__ = [
    'CheckpointCheckHook', 'EpochSeedHook', 'GuidanceDiagnosticsHook',
    'TextFieldsCheckHook'
]
