# Baseline for crossglg_stgcn_ntu120_20base.py: MMAction2's ST-GCN with
# InfoGCN's projector head (so that one-shot embeddings are comparable), on
# NTU RGB+D 120 one-shot with 20 base classes; the same data and schedule.
# Reproduces: nothing in the paper.
# Validation: monitoring only; the last checkpoint is evaluated.
_base_ = './infogcn_ntu120_20base.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='STGCN',
        graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial')))
