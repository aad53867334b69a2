# InfoGCN baseline for NW-UCLA one-shot (development split, 5 base classes);
# the same data, model size and schedule as crossglg_nwucla_5base.py, no
# text. Validation: monitoring only; the last checkpoint is evaluated.
_base_ = [
    '_base_/models/infogcn.py', '_base_/datasets/nwucla_oneshot_3d.py',
    '_base_/schedules/infogcn_110e.py', '_base_/default_runtime.py'
]

num_base_classes = 5
model = dict(
    backbone=dict(layout='kinect_v1_20', num_person=1),
    cls_head=dict(num_classes=num_base_classes))
# Gradient clipping: see benchmarks/configs/*_nwucla_5base_cpu.py (loss ~40
# at the first iterations with 5 classes; unclipped SGD diverged on the CPU).
optim_wrapper = dict(optimizer=dict(lr=0.025), clip_grad=dict(max_norm=1.0))
# lr 0.025 is for a total batch of 16 (one process); more processes scale it.
auto_scale_lr = dict(base_batch_size=16)
