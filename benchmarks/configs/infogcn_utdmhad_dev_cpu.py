# Development run of benchmarks/configs/infogcn_utdmhad_18base_cpu.py: the dev
# classes a3, a9, a15, a24 are held out of the 18 base classes (training on
# the other 14) and serve as one-shot validation classes, every epoch.
# Validation: the dev classes only, for choosing variants and the schedule
# (benchmarks/guidance_variants.py); these runs never touch the novel
# classes (there is no test set here).
_base_ = './infogcn_utdmhad_18base_cpu.py'

model = dict(cls_head=dict(num_classes=14))
train_dataloader = dict(dataset=dict(holdout_dev=True))
val_dataloader = dict(dataset=dict(subset='dev'))
test_dataloader = None
test_cfg = None
test_evaluator = None
train_cfg = dict(val_begin=1, val_interval=1)
