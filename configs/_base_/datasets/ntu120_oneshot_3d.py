# NTU RGB+D 120, official one-shot protocol (Liu et al., TPAMI 2019): train on
# every sample of the base classes (first N of the 100 auxiliary classes, in
# ascending id order; xsub/xset ignored), evaluate on the 20 novel classes
# A1, A7, ..., A115 against their 20 official exemplars. InfoGCN's input:
# 64-frame crops, random rotation, 2 persons (single actors duplicated).
# Data: MMAction2's converter output (docs/data.md).
ann_file = 'data/skeleton/ntu120_3d.pkl'
protocol = 'ntu120'
layout = 'ntu25'
clip_len = 64
num_person = 2

train_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='TemporalCropResize', clip_len=clip_len, ratio_range=(0.5, 1.)),
    dict(type='RandomRotate3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=num_person, mode='loop'),
    dict(type='PackActionInputs',
         algorithm_keys=('text_embedding', 'key_joints'))
]
test_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='TemporalCropResize', clip_len=clip_len, test_mode=True),
    dict(type='FormatGCNInput', num_person=num_person, mode='loop'),
    dict(type='PackActionInputs',
         algorithm_keys=('is_exemplar', 'original_label'))
]

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='OneShotPoseDataset',
        ann_file=ann_file,
        protocol=protocol,
        subset='base',
        num_base_classes=None,
        layout=layout,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='OneShotPoseDataset',
        ann_file=ann_file,
        protocol=protocol,
        subset='novel',
        layout=layout,
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='OneShotMetric')
test_evaluator = val_evaluator
