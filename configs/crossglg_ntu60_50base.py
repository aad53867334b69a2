# InfoGCN+CrossGLG on NTU RGB+D 60 one-shot with 50 base classes (the first 50
# auxiliary classes in ascending id order; docs/protocols.md).
# Reproduces: paper Table 2, row "InfoGCN+CrossGLG", 50 base classes: 75.6% top-1
# (needs the NTU data and GPUs; not reproduced on this project's CPUs).
# Validation: one-shot top-1 on the 10 novel classes every 5 epochs, logged for
# monitoring only. No checkpoint is chosen by it (that would be model
# selection on the test classes; the paper does not say how it chose its
# checkpoint): evaluate the last one, as InfoGCN does. For hyperparameter
# search use crossglg_ntu60_dev.py (validation on held-out dev classes).
# Train: mim train mmaction configs/crossglg_ntu60_50base.py [--launcher pytorch --gpus 8]
# Test:  python tools/test_oneshot.py configs/crossglg_ntu60_50base.py \
#            work_dirs/crossglg_ntu60_50base/epoch_110.pth
_base_ = '_base_/crossglg_ntu60.py'

num_base_classes = 50
model = dict(cls_head=dict(num_classes=num_base_classes))
train_dataloader = dict(dataset=dict(num_base_classes=num_base_classes))
