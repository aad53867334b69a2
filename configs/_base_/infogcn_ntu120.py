# InfoGCN baseline for NTU RGB+D 120 one-shot: the official NTU model, the
# same data and schedule as the CrossGLG configs, no text.
_base_ = [
    './models/infogcn.py', './datasets/ntu120_oneshot_3d.py',
    './schedules/infogcn_110e.py', './default_runtime.py'
]
