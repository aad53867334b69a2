# InfoGCN baseline for UTD-MHAD one-shot (development split, 18 base classes,
# 9 novel classes with one exemplar each); the same data, model size and
# schedule as crossglg_utdmhad_18base.py, no text. Not in the paper.
# Validation: monitoring only; the last checkpoint is evaluated
# (infogcn_utdmhad_18base_dev.py selects it on the dev classes instead).
_base_ = [
    '_base_/models/infogcn.py', '_base_/datasets/utdmhad_oneshot_3d.py',
    '_base_/schedules/infogcn_110e.py', '_base_/default_runtime.py'
]

num_base_classes = 18
model = dict(
    backbone=dict(layout='kinect_v1_20', num_person=1),
    cls_head=dict(num_classes=num_base_classes))
# Batch 16: lr scaled linearly from InfoGCN's 0.1 at batch 64. Gradient
# clipping as in the NW-UCLA configs (unclipped SGD diverged there with few
# classes), the same for both models.
optim_wrapper = dict(optimizer=dict(lr=0.025), clip_grad=dict(max_norm=1.0))
# lr 0.025 is for a total batch of 16 (one process); more processes scale it.
auto_scale_lr = dict(base_batch_size=16)
