# Ablation: global-to-local guidance only with JID after block N_pre=7
# (instead of 5), NTU RGB+D 120, 80 base classes.
# Reproduces: paper Table 5, N_pre = 7, 80 base classes: 58.5% top-1.
# Validation and checkpoint choice as in the main config (monitoring only,
# last checkpoint evaluated).
_base_ = './crossglg_ntu120_80base_g2l_only.py'

model = dict(backbone=dict(importance=dict(after_block=7)))
