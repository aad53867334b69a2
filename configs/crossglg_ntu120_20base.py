# InfoGCN+CrossGLG on NTU RGB+D 120 one-shot with 20 base classes (the first 20
# auxiliary classes in ascending id order; docs/protocols.md).
# Reproduces: paper Table 1, row "InfoGCN+CrossGLG", 20 base classes: 45.3% top-1
# (needs the NTU data and GPUs; not reproduced on this project's CPUs).
# Validation: one-shot top-1 on the 20 novel classes every 5 epochs, logged for
# monitoring only. No checkpoint is chosen by it (that would be model
# selection on the test classes; the paper does not say how it chose its
# checkpoint): evaluate the last one, as InfoGCN does. For hyperparameter
# search use crossglg_ntu120_dev.py (validation on held-out dev classes).
# Train: mim train mmaction configs/crossglg_ntu120_20base.py [--launcher pytorch --gpus 8]
# Test:  python tools/test_oneshot.py configs/crossglg_ntu120_20base.py \
#            work_dirs/crossglg_ntu120_20base/epoch_110.pth
_base_ = '_base_/crossglg_ntu120.py'

num_base_classes = 20
model = dict(cls_head=dict(num_classes=num_base_classes))
train_dataloader = dict(dataset=dict(num_base_classes=num_base_classes))
