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

# lr 0.1 is InfoGCN's for a total batch of 64 (its single GPU). The batch
# size is per process, so N GPUs train with a total batch of N x 64; MMEngine
# scales the lr by total batch / 64 (8 GPUs: 0.8; one GPU: 0.1 unchanged).
# docs/distributed.md.
auto_scale_lr = dict(enable=True, base_batch_size=64)
