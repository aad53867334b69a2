from .hooks import (CheckpointCheckHook, EpochSeedHook,
                    GuidanceDiagnosticsHook, TextFieldsCheckHook)

__all__ = [
    'CheckpointCheckHook', 'EpochSeedHook', 'GuidanceDiagnosticsHook',
    'TextFieldsCheckHook'
]
