# InfoGCN on NTU RGB+D 60 one-shot with 20 base classes (the first 20
# auxiliary classes in ascending id order; docs/protocols.md).
# Reproduces: paper Table 2, row "InfoGCN", 20 base classes: 62.1% top-1
# (needs the NTU data and GPUs; not reproduced on this project's CPUs).
# Validation: one-shot top-1 on the 10 novel classes every 5 epochs, logged for
# monitoring only. No checkpoint is chosen by it (that would be model
# selection on the test classes; the paper does not say how it chose its
# checkpoint): evaluate the last one, as InfoGCN does. For hyperparameter
# search use crossglg_ntu60_dev.py (validation on held-out dev classes).
# Train: mim train mmaction configs/infogcn_ntu60_20base.py [--launcher pytorch --gpus 8]
# Test:  python tools/test_oneshot.py configs/infogcn_ntu60_20base.py \
#            work_dirs/infogcn_ntu60_20base/epoch_110.pth
_base_ = '_base_/infogcn_ntu60.py'

num_base_classes = 20
model = dict(cls_head=dict(num_classes=num_base_classes))
train_dataloader = dict(dataset=dict(num_base_classes=num_base_classes))
