# The embedded synthetic data set (tools/data/make_synthetic.py): 12 base and
# 8 novel classes composed of shared body-part motion primitives, one
# exemplar per novel class. Sized for 2 CPU cores: 32-frame clips, the
# performer only (occasional second persons are dropped), batch 16.
_base_ = './ntu120_oneshot_3d.py'

data_root = 'data/synthetic'
ann_file = f'{data_root}/synthetic_3d.pkl'
protocol = f'{data_root}/protocol.json'
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
    dataset=dict(
        ann_file=ann_file,
        protocol=protocol,
        class_names=f'{data_root}/classes.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        ann_file=ann_file,
        protocol=protocol,
        class_names=f'{data_root}/classes.txt',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
