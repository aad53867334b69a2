# Hyperparameter search for CrossGLG on NTU60 one-shot without touching the
# novel (test) classes: the development classes A2, A8, ..., A56 (10 classes) are
# held out of the base set and serve as "novel" classes for validation (one
# exemplar each, docs/protocols.md); training uses the 40 auxiliary classes that are not dev classes.
# Validation: one-shot top-1 on the dev classes every 5 epochs; the best
# checkpoint by it is kept (save_best), which is legitimate here because the
# dev classes are neither trained on nor the test classes.
# Reproduces: nothing in the paper (a selection protocol the paper lacks).
_base_ = '_base_/crossglg_ntu60.py'

model = dict(cls_head=dict(num_classes=40))
train_dataloader = dict(dataset=dict(holdout_dev=True))
val_dataloader = dict(dataset=dict(subset='dev'))
test_dataloader = dict(dataset=dict(subset='novel'))
default_hooks = dict(
    checkpoint=dict(save_best='oneshot/top1', rule='greater'))
