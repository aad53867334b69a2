# Beyond the paper: CrossGLG's guidance on MMAction2's ST-GCN instead of
# InfoGCN (the paper says the idea is orthogonal to the encoder but shows it
# only on InfoGCN). ST-GCN (10 blocks, widths 64/128/256, MMAction2's
# 'stgcn_spatial' graph) with JID after block 6 (the middle of the 128-wide
# stage, as N_pre=5 is for InfoGCN), InfoGCN's projector as the skeleton
# branch, the same guidance branch, losses, data and schedule as
# crossglg_ntu120_20base.py. Baseline: stgcn_ntu120_20base.py.
# Reproduces: nothing in the paper (no published number).
# Validation: monitoring only; the last checkpoint is evaluated.
_base_ = './crossglg_ntu120_20base.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='STGCNWithImportance',
        graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
        importance=dict(after_block=6)))
