# InfoGCN+CrossGLG on Kinetics-skeleton one-shot (OpenPose-18, 2D + score) with 20
# base classes (the first 20 of labels 0-99; the protocol is this project's
# documented assumption, the paper's appendix protocol is not public).
# Reproduces: paper Table 3, row "InfoGCN+CrossGLG", 20 base classes: 17.4% top-1 (needs the
# Kinetics-skeleton data and GPUs; not reproduced here).
# Text: Kinetics class descriptions for the openpose18 layout are not shipped;
# generate them with tools/generate_descriptions.py --layout openpose18 into
# data/text/kinetics_openpose18.json (docs/text.md).
# Validation: monitoring only (novel classes); the last checkpoint is evaluated.
_base_ = [
    '_base_/models/crossglg_infogcn.py',
    '_base_/datasets/kinetics_oneshot_2d.py', '_base_/schedules/infogcn_110e.py',
    '_base_/default_runtime.py'
]

num_base_classes = 20
model = dict(
    backbone=dict(layout='openpose18', in_channels=3),
    cls_head=dict(num_classes=num_base_classes))
train_dataloader = dict(
    dataset=dict(
        type='TextAnnotatedDataset',
        num_base_classes=num_base_classes,
        text_bank=dict(
            annotations='data/text/kinetics_openpose18.json',
            encoder=dict(
                type='huggingface', model='microsoft/deberta-v2-xlarge',
                device='auto', batch_size=16),
            cache_dir='data/text_banks',
            text_channels=1536)))
