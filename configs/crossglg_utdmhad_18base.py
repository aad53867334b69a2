# CrossGLG on InfoGCN for UTD-MHAD (Kinect v1, 20 joints), one-shot on the
# project's development split: 18 base classes, 9 novel classes with one
# exemplar each (docs/protocols.md). Not in the paper (which reports NTU and
# Kinetics); the second real-data check beside NW-UCLA.
# Text: the shipped UTD-MHAD annotations encoded with DeBERTa-V2-XLarge, as in
# the paper's NTU configs (benchmarks/configs/ has the CPU variant with the
# offline encoder). Full InfoGCN width, InfoGCN's 110-epoch schedule,
# batch 16 (lr scaled linearly from InfoGCN's 0.1 at batch 64).
# Validation: one-shot top-1 on the novel classes every 5 epochs, for
# monitoring only; the last checkpoint is evaluated
# (crossglg_utdmhad_18base_dev.py selects it on the dev classes instead).
_base_ = [
    '_base_/models/crossglg_infogcn.py',
    '_base_/datasets/utdmhad_oneshot_3d.py',
    '_base_/schedules/infogcn_110e.py', '_base_/default_runtime.py'
]

num_base_classes = 18
model = dict(
    backbone=dict(layout='kinect_v1_20', num_person=1),
    cls_head=dict(num_classes=num_base_classes))
train_dataloader = dict(
    dataset=dict(
        type='TextAnnotatedDataset',
        text_bank=dict(
            annotations='utdmhad',
            encoder=dict(
                type='huggingface', model='microsoft/deberta-v2-xlarge',
                device='auto', batch_size=16),
            cache_dir='data/text_banks',
            text_channels=1536)))
# Gradient clipping as in the NW-UCLA configs (unclipped SGD diverged there
# with few classes), the same for both models.
optim_wrapper = dict(optimizer=dict(lr=0.025), clip_grad=dict(max_norm=1.0))
# lr 0.025 is for a total batch of 16 (one process); more processes scale it.
auto_scale_lr = dict(base_batch_size=16)
# Validation also reports how JID's joint importance agrees with the key
# joints of the evaluated classes (JointImportanceMetric, docs/method.md).
val_evaluator = [
    dict(type='OneShotMetric'),
    dict(type='JointImportanceMetric', annotations='utdmhad')
]
test_evaluator = val_evaluator
