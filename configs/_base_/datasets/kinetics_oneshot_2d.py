# Kinetics-skeleton one-shot (OpenPose-18, 2D + confidence), the project's
# documented assumption (docs/protocols.md): the first 120 Kinetics-400
# classes, labels 0-99 base and 100-119 novel, the exemplar of a novel class
# its sample with the smallest frame_dir. Data: an MMAction2 2D skeleton
# pickle with `keypoint` (M, T, 18, 2) and `keypoint_score` (M, T, 18) in
# OpenPose-18 order, e.g. converted from ST-GCN's Kinetics-skeleton release.
# Input channels: x, y, score; the 2 most confident persons.
_base_ = './ntu120_oneshot_3d.py'

ann_file = 'data/skeleton/kinetics_openpose18_2d.pkl'
protocol = 'kinetics'
layout = 'openpose18'

train_pipeline = [
    dict(type='PreNormalize2D'),
    dict(type='GenSkeFeat', dataset='openpose', feats=['j']),
    dict(type='TemporalCropResize', clip_len=64, ratio_range=(0.5, 1.)),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs',
         algorithm_keys=('text_embedding', 'key_joints'))
]
test_pipeline = [
    dict(type='PreNormalize2D'),
    dict(type='GenSkeFeat', dataset='openpose', feats=['j']),
    dict(type='TemporalCropResize', clip_len=64, test_mode=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs',
         algorithm_keys=('is_exemplar', 'original_label'))
]

train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file,
        protocol=protocol,
        layout=layout,
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        ann_file=ann_file,
        protocol=protocol,
        layout=layout,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
