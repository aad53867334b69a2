# CrossGLG on InfoGCN for NTU RGB+D 120 one-shot: model, data, InfoGCN's
# 110-epoch schedule and runtime. The joint texts are the shipped NTU-120
# annotations (crossglg_mmaction/data/ntu120.json, written for this project
# following the paper's two prompts), encoded once with DeBERTa-V2-XLarge
# (1536-d) and cached in data/text_banks; the first run downloads the model
# from the Hugging Face hub (or pre-build the bank with
# `python tools/build_config_text_bank.py CONFIG`, docs/text.md).
_base_ = [
    './models/crossglg_infogcn.py', './datasets/ntu120_oneshot_3d.py',
    './schedules/infogcn_110e.py', './default_runtime.py'
]

text_bank = dict(
    annotations='ntu120',
    encoder=dict(
        type='huggingface', model='microsoft/deberta-v2-xlarge',
        device='auto', batch_size=16),
    cache_dir='data/text_banks',
    text_channels=1536)
train_dataloader = dict(
    dataset=dict(type='TextAnnotatedDataset', text_bank=text_bank))
# Validation also reports how JID's joint importance agrees with the key
# joints of the evaluated classes (JointImportanceMetric, docs/method.md).
val_evaluator = [
    dict(type='OneShotMetric'),
    dict(type='JointImportanceMetric', annotations='ntu120')
]
test_evaluator = val_evaluator
