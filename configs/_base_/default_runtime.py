# MMAction2's runtime (default_scope='mmaction', hooks, logging) + the plugin.
_base_ = 'mmaction::_base_/default_runtime.py'

custom_imports = dict(imports=['crossglg_mmaction'], allow_failed_imports=False)

# One-shot accuracy on the novel classes is the test metric: keep the last
# checkpoints instead of choosing one by it (see each config's header).
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=1, save_best=None,
                    max_keep_ckpts=3))

randomness = dict(seed=1)

# Resumable runs (docs/faults.md): re-seed every epoch from (seed, epoch), so
# `--resume` continues with the random numbers of an uninterrupted run; stop
# with a clear message when `load_from` / `--resume` names a damaged file or
# the checkpoint of another model (set `load_from_partial = True` to load
# the weights that fit on purpose), or when a CrossGLG head would train
# without its text fields or with text of another width. CrossGLG runs log
# guidance diagnostics every 50 iterations (docs/method.md).
custom_hooks = [
    dict(type='EpochSeedHook'),
    dict(type='CheckpointCheckHook'),
    dict(type='TextFieldsCheckHook'),
    dict(type='GuidanceDiagnosticsHook', interval=50)
]
