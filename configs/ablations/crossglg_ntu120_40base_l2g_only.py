# Ablation: local-to-global cross-modal interaction only (guidance branch
# with text-text attention, shared classifier), no JID and no calibration
# loss, NTU RGB+D 120, 40 base classes.
# Reproduces: paper Table 4, row L2G only, 40 base classes: 54.9% top-1
# (= Table 6, with text-text interaction).
# Validation and checkpoint choice as in the main config (monitoring only,
# last checkpoint evaluated).
_base_ = '../crossglg_ntu120_40base.py'

model = dict(
    backbone=dict(importance=None),
    cls_head=dict(loss_calibrate=False))
# Without JID there is no joint importance to compare with the key joints.
val_evaluator = [dict(type='OneShotMetric')]
test_evaluator = val_evaluator
