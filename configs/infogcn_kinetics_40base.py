# InfoGCN on Kinetics-skeleton one-shot (OpenPose-18, 2D + score) with 40
# base classes (the first 40 of labels 0-99; the protocol is this project's
# documented assumption, the paper's appendix protocol is not public).
# Reproduces: paper Table 3, row "InfoGCN", 40 base classes: 18.2% top-1 (needs the
# Kinetics-skeleton data and GPUs; not reproduced here).
# Validation: monitoring only (novel classes); the last checkpoint is evaluated.
_base_ = './infogcn_kinetics_20base.py'

num_base_classes = 40
model = dict(cls_head=dict(num_classes=num_base_classes))
train_dataloader = dict(dataset=dict(num_base_classes=num_base_classes))
