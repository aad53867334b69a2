"""Text toolchain fixtures: toy annotations, tiny models, a fake LLM server."""
import pytest
import torch

from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (new_annotations,
                                                save_annotations,
                                                upsert_description)
from text_fakes import FakeLLMServer, toy_description
from tool_runner import run_main

TOY_CLASSES = (
    (0, 'A1', 'drink water',
     'The person lifts a cup with the right hand and tilts the head back. '
     'The right arm bends.'),
    (1, 'A24', 'kicking something',
     'The person swings the right leg forward and strikes with the right '
     'foot. Both arms move for balance.'),
    (2, 'A10', 'clapping',
     'Both hands meet in front of the chest again and again.'),
)


def toy_annotation_dict(layout='ntu25', with_key_joints=True):
    """A three-class annotation dict."""
    data = new_annotations('toy', layout, 'authored')
    for label, code, name, global_text in TOY_CLASSES:
        key_joints = ['head', 'right_hand'] if with_key_joints else None
        if get_layout(layout).name != 'ntu25' and with_key_joints:
            key_joints = [get_layout(layout).joints[0]]
        upsert_description(data, label, name, 'authored',
                           toy_description(layout, name, global_text,
                                           key_joints), code)
    return data


@pytest.fixture
def make_toy():
    """Factory of toy annotation dicts: ``make_toy(layout, with_key_joints)``.
    """
    return toy_annotation_dict


@pytest.fixture
def make_desc():
    """Factory of description sets: ``make_desc(layout, name, global)``."""
    return toy_description


@pytest.fixture
def toy_file(tmp_path):
    """Path of a valid three-class ntu25 annotation file."""
    path = tmp_path / 'toy.json'
    save_annotations(toy_annotation_dict(), str(path))
    return str(path)


TINY_WORDS = ('the', 'hand', 'moves', 'up', 'head', 'left', 'right', 'arm',
         'knee', 'bends', 'slowly', 'and', 'down', 'foot', 'a', 'cup')
def save_tiny_deberta(path):
    """A tiny random DeBERTa-v2 model and tokenizer, saved offline."""
    from transformers import (DebertaV2Config, DebertaV2Model,
                              DebertaV2Tokenizer)
    specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
    pieces = specials + [f'\u2581{w}' for w in TINY_WORDS]
    tokenizer = DebertaV2Tokenizer(
        vocab=[(p, -float(i)) for i, p in enumerate(pieces)], unk_id=1)
    config = DebertaV2Config(
        vocab_size=len(pieces), hidden_size=16, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=64, pad_token_id=0)
    torch.manual_seed(0)
    DebertaV2Model(config).save_pretrained(path)
    tokenizer.save_pretrained(path)


def save_tiny_bert(path):
    """A tiny random BERT model and tokenizer, saved offline."""
    from transformers import BertConfig, BertModel, BertTokenizer
    specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
    vocab = {w: i for i, w in enumerate(specials + list(TINY_WORDS))}
    tokenizer = BertTokenizer(vocab=vocab)
    config = BertConfig(vocab_size=len(vocab), hidden_size=24,
                        num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    torch.manual_seed(0)
    BertModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)


@pytest.fixture(scope='session')
def tiny_hf_models(tmp_path_factory):
    """{'deberta': (dir, 16), 'bert': (dir, 24)}: tiny random models."""
    deberta = str(tmp_path_factory.mktemp('deberta'))
    bert = str(tmp_path_factory.mktemp('bert'))
    save_tiny_deberta(deberta)
    save_tiny_bert(bert)
    return {'deberta': (deberta, 16), 'bert': (bert, 24)}


@pytest.fixture
def llm_server():
    """A running :class:`FakeLLMServer`; shut down after the test."""
    with FakeLLMServer() as server:
        yield server


@pytest.fixture
def run_tool():
    """:func:`tool_runner.run_main`: ``tools/<name>.py``'s ``main(argv)``
    in this process."""
    return run_main
