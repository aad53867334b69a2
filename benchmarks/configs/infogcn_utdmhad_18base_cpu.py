# CPU benchmark (benchmarks/utdmhad_oneshot.py): the model and data of
# configs/infogcn_utdmhad_18base.py (full InfoGCN width, one person, 32-frame
# clips) with the short 15-epoch CPU schedule.
# Validation: monitoring only; the last checkpoint is evaluated.
_base_ = [
    '../../configs/_base_/models/infogcn.py',
    '../../configs/_base_/datasets/utdmhad_oneshot_3d.py',
    '../../configs/_base_/schedules/cpu_15e.py',
    '../../configs/_base_/default_runtime.py'
]

num_base_classes = 18
model = dict(
    backbone=dict(layout='kinect_v1_20', num_person=1),
    cls_head=dict(num_classes=num_base_classes))
# Gradient clipping as in the NW-UCLA CPU benchmark (unclipped SGD at lr 0.05
# went to NaN there with 5 classes), the same for both models.
optim_wrapper = dict(clip_grad=dict(max_norm=1.0))
