# Ablation: global-to-local guidance only (JID after block 5 + calibration
# loss), no local-to-global branch, NTU RGB+D 120, 60 base classes.
# Reproduces: paper Table 4, row G2L only, 60 base classes: 60.9% top-1
# (= Table 5, N_pre = 5).
# Validation and checkpoint choice as in the main config (monitoring only,
# last checkpoint evaluated).
_base_ = '../crossglg_ntu120_60base.py'

model = dict(cls_head=dict(guidance=False))
