# Demo baseline: InfoGCN (+ IB head) trained on the 12 base classes of the
# embedded synthetic data set, evaluated one-shot on its 8 novel classes.
# Runs on 2 CPU cores in a few minutes; sizes smaller than the paper's and
# used by the demo only: base width 32 (block widths 32/64/128), 1 person,
# 32-frame clips, 15 epochs. Generate the data first:
#   python tools/data/make_synthetic.py --out-dir data/synthetic
# Validation: one-shot top-1 on the novel classes every 5 epochs, for
# monitoring only; no checkpoint is chosen by it (that would be selection on
# the test classes): tools/test_oneshot.py evaluates the last checkpoint.
_base_ = [
    '_base_/models/infogcn.py', '_base_/datasets/synthetic_oneshot_3d.py',
    '_base_/schedules/cpu_15e.py', '_base_/default_runtime.py'
]

num_base_classes = 12
width = 128  # output width of the last block (base_channels * 4)

model = dict(
    backbone=dict(base_channels=32, num_person=1),
    cls_head=dict(
        num_classes=num_base_classes, in_channels=width,
        latent_channels=width))
train_dataloader = dict(dataset=dict(num_base_classes=num_base_classes))
# Gradient clipping as in every real-data CPU config: with few classes,
# InfoGCN's decoder initialisation gives a first loss near 30.
optim_wrapper = dict(clip_grad=dict(max_norm=1.0))
