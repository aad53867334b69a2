"""Switching a config's text encoder from the command line (issue 12, item
8): ``--cfg-options`` merges dicts, so the documented override replaces the
encoder dict with ``_delete_=True`` (docs/text.md)."""
import argparse

from mmengine.config import Config, DictAction

from crossglg_mmaction.text.encoders import build_text_encoder

ENCODER = 'train_dataloader.dataset.text_bank.encoder'


def merged(config, *options):
    """``config`` after ``--cfg-options options`` as the MMAction2 tools
    (and ``mim train``) apply them."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(parser.parse_args(['--cfg-options',
                                           *options]).cfg_options)
    return cfg


def test_a_plain_override_merges_into_the_encoder_dict():
    cfg = merged('configs/crossglg_ntu120_20base.py',
                 f'{ENCODER}.type=tfidf_svd', f'{ENCODER}.dim=256')
    encoder = cfg.train_dataloader.dataset.text_bank.encoder
    assert encoder.model == 'microsoft/deberta-v2-xlarge'  # kept: the trap
    assert encoder.type == 'tfidf_svd'


def test_the_top_level_text_bank_variable_is_not_the_dataset_s():
    cfg = merged('configs/crossglg_ntu120_20base.py',
                 'text_bank.encoder.type=tfidf_svd')
    assert cfg.train_dataloader.dataset.text_bank.encoder.type == \
        'huggingface'


def test_delete_replaces_the_encoder_huggingface_to_tfidf():
    cfg = merged('configs/crossglg_ntu120_20base.py',
                 f'{ENCODER}._delete_=True', f'{ENCODER}.type=tfidf_svd',
                 f'{ENCODER}.dim=256',
                 'train_dataloader.dataset.text_bank.text_channels=256',
                 'model.cls_head.guidance.text_channels=256')
    text_bank = cfg.train_dataloader.dataset.text_bank
    assert text_bank.encoder.to_dict() == dict(type='tfidf_svd', dim=256)
    assert text_bank.text_channels == 256
    assert cfg.model.cls_head.guidance.text_channels == 256
    assert build_text_encoder(text_bank.encoder).dim == 256


def test_delete_replaces_the_encoder_tfidf_to_huggingface(tiny_hf_models):
    model, width = tiny_hf_models['bert']
    cfg = merged('configs/crossglg_synthetic.py', f'{ENCODER}._delete_=True',
                 f'{ENCODER}.type=huggingface', f'{ENCODER}.model={model}',
                 f'{ENCODER}.local_files_only=True')
    encoder = cfg.train_dataloader.dataset.text_bank.encoder.to_dict()
    assert encoder == dict(type='huggingface', model=model,
                           local_files_only=True)
    texts = build_text_encoder(encoder).prepare().encode(['the hand moves'])
    assert texts.shape == (1, width)
