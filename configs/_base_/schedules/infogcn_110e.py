# InfoGCN's schedule (args.py + README of stnoah1/infogcn): SGD, Nesterov,
# momentum 0.9, lr 0.1, weight decay 5e-4, 5 warm-up epochs, lr x0.1 at
# epochs 90 and 100, 110 epochs; batch 64 (set by the dataset pieces).
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=110, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=110,
         milestones=[90, 100], gamma=0.1)
]

optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4))

# Scale the learning rate when the total batch differs from InfoGCN's 64:
# enable with `--auto-scale-lr`.
auto_scale_lr = dict(enable=False, base_batch_size=64)
