# Short CPU schedule (synthetic demo, NW-UCLA CPU benchmark): SGD with
# Nesterov momentum as in InfoGCN, one warm-up epoch, cosine decay, batch 16;
# one-shot validation on the novel classes every 5 epochs (monitoring only).
max_epochs = 15
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=5,
    val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=1, end=max_epochs,
         T_max=max_epochs - 1, eta_min=1e-4, convert_to_iter_based=True)
]

optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4))
auto_scale_lr = dict(enable=False, base_batch_size=16)
