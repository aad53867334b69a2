# NW-UCLA one-shot, the project's development split (docs/protocols.md):
# base classes a01, a03, a05, a08, a11; novel classes a02, a04, a06, a09, a12
# with the exemplar aAA_s01_e00_v01. Kinect v1 (20 joints), one person,
# 32-frame crops. Data: tools/data/nwucla_to_pickle.py (docs/data.md).
_base_ = './ntu120_oneshot_3d.py'

ann_file = 'data/nwucla/nwucla_3d.pkl'
protocol = 'nwucla'
layout = 'kinect_v1_20'
clip_len = 32
num_person = 1

train_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='TemporalCropResize', clip_len=clip_len, ratio_range=(0.5, 1.)),
    dict(type='RandomRotate3D', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='PackActionInputs',
         algorithm_keys=('text_embedding', 'key_joints'))
]
test_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='TemporalCropResize', clip_len=clip_len, test_mode=True),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='PackActionInputs',
         algorithm_keys=('is_exemplar', 'original_label'))
]

train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    dataset=dict(
        ann_file=ann_file,
        protocol=protocol,
        layout=layout,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    dataset=dict(
        ann_file=ann_file,
        protocol=protocol,
        layout=layout,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
