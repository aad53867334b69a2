# Ablation: global-to-local guidance only with JID after block N_pre=7
# (instead of 5), NTU RGB+D 120, 100 base classes.
# Reproduces: paper Table 5, N_pre = 7, 100 base classes: 58.0% top-1.
# Validation and checkpoint choice as in the main config (monitoring only,
# last checkpoint evaluated).
_base_ = './crossglg_ntu120_100base_g2l_only.py'

model = dict(backbone=dict(importance=dict(after_block=7)))
