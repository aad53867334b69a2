# Epoch and checkpoint selection for crossglg_utdmhad_18base.py without
# touching the novel (test) classes: the development classes a3, a9, a15,
# a24 are held out of the 18 base classes (training uses the other 14) and
# serve as "novel" classes for validation, one exemplar a{A}_s1_t1 each
# (docs/protocols.md).
# Validation: one-shot top-1 on the dev classes every 5 epochs; the best
# checkpoint by it is kept (save_best), which is legitimate here because the
# dev classes are neither trained on nor the test classes. Test: the novel
# classes.
_base_ = './crossglg_utdmhad_18base.py'

model = dict(cls_head=dict(num_classes=14))
train_dataloader = dict(dataset=dict(holdout_dev=True))
val_dataloader = dict(dataset=dict(subset='dev'))
test_dataloader = dict(dataset=dict(subset='novel'))
default_hooks = dict(
    checkpoint=dict(save_best='oneshot/top1', rule='greater'))
