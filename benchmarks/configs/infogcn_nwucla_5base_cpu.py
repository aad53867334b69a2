# CPU benchmark (benchmarks/nwucla_oneshot.py): the model and data of
# configs/infogcn_nwucla_5base.py (full InfoGCN width, one person, 32-frame
# clips) with the short 15-epoch CPU schedule.
# Validation: monitoring only; the last checkpoint is evaluated.
_base_ = [
    '../../configs/_base_/models/infogcn.py',
    '../../configs/_base_/datasets/nwucla_oneshot_3d.py',
    '../../configs/_base_/schedules/cpu_15e.py',
    '../../configs/_base_/default_runtime.py'
]

num_base_classes = 5
model = dict(
    backbone=dict(layout='kinect_v1_20', num_person=1),
    cls_head=dict(num_classes=num_base_classes))
# With 5 classes the InfoGCN decoder's init (std sqrt(2/5)) gives logits in
# the tens at the first iterations (loss ~40); unclipped SGD at lr 0.05 went
# to NaN within 4 iterations here, so gradients are clipped (same for both).
optim_wrapper = dict(clip_grad=dict(max_norm=1.0))
