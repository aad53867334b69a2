"""Files the user names are never replaced; only cache files are rebuilt
(issue 12, item 1)."""
import hashlib
import logging

import pytest
from mmengine.registry import init_default_scope

from crossglg_mmaction.datasets import TextAnnotatedDataset
from crossglg_mmaction.text.annotations import save_annotations
from crossglg_mmaction.text.bank import get_text_bank, load_text_bank

from tiny_run import NAMES, write_data

TFIDF = dict(type='tfidf_svd', dim=8)


def digest(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


@pytest.fixture
def six_classes(tmp_path, make_desc):
    """Skeleton data, protocol and text file of tests/tiny_run.py."""
    from crossglg_mmaction.text.annotations import (new_annotations,
                                                    upsert_description)
    data = new_annotations('tiny', 'ntu25', 'authored')
    for label, name in enumerate(NAMES):
        upsert_description(data, label, name, 'authored', make_desc(
            'ntu25', name, f'The person does {name} with the right hand.',
            ['right_hand']))
    text = str(tmp_path / 'text.json')
    save_annotations(data, text)
    ann_file, protocol = write_data(str(tmp_path))
    return text, ann_file, protocol


@pytest.mark.parametrize('change, reason', [
    (dict(labels=[0, 1]), 'changed: labels, texts_sha256'),
    (dict(encoder=dict(type='tfidf_svd', dim=4)), 'changed: encoder'),
])
def test_a_named_bank_that_does_not_match_is_refused(toy_file, tmp_path,
                                                     change, reason):
    mine = str(tmp_path / 'mine.npz')
    get_text_bank(toy_file, TFIDF, path=mine)
    before = digest(mine)
    asked = dict(dict(encoder=TFIDF), **change)
    with pytest.raises(ValueError) as err:
        get_text_bank(toy_file, path=mine, **asked)
    message = str(err.value)
    assert f'text bank {mine} does not match the bank asked for ({reason})' \
        in message
    assert "the file holds 3 classes [0, 1, 2], encoder tfidf_svd-d8" in \
        message
    assert 'It is a file you named, so it is not replaced: delete or move ' \
        'it away and run again' in message
    assert digest(mine) == before


def test_an_unreadable_named_bank_is_refused(toy_file, tmp_path):
    mine = tmp_path / 'mine.npz'
    mine.write_bytes(b'my notes, not a bank')
    with pytest.raises(ValueError, match=(
            r'text bank .*mine\.npz cannot be read \(.*not a readable text '
            r'bank.*\)\. It is a file you named, so it is not replaced')):
        get_text_bank(toy_file, TFIDF, path=str(mine))
    assert mine.read_bytes() == b'my notes, not a bank'


def test_stale_cache_files_are_still_rebuilt(toy_file, tmp_path, caplog):
    first = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    with caplog.at_level(logging.WARNING):
        second = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path),
                               labels=[0, 2])
    assert second.path != first.path  # a subset has its own cache file
    stale = first.path
    with open(stale, 'wb') as f:  # another bank under the full set's name
        f.write(open(second.path, 'rb').read())
    bank = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    assert 'is stale (changed: labels, texts_sha256); rebuilding' in \
        caplog.text
    assert bank.path == stale and load_text_bank(stale).labels.tolist() == \
        [0, 1, 2]


def test_dataset_refuses_a_named_bank_of_other_classes(six_classes,
                                                       tmp_path):
    text, ann_file, protocol = six_classes
    init_default_scope('mmaction')
    mine = str(tmp_path / 'mine.npz')
    get_text_bank(text, dict(type='tfidf_svd', dim=4), path=mine,
                  labels=[0, 1])
    before = digest(mine)
    with pytest.raises(ValueError, match=(
            r'mine\.npz does not match the bank asked for \(changed: '
            r'encoder, labels, texts_sha256\): the file holds 2 classes '
            r'\[0, 1\], encoder tfidf_svd-d4, .* \(4-d\); asked: 4 classes '
            r'\[0, 1, 2, 3\], encoder tfidf_svd-d8')):
        TextAnnotatedDataset(
            ann_file=ann_file, pipeline=[], protocol=protocol,
            text_bank=dict(annotations=text, encoder=TFIDF, path=mine,
                           text_channels=8))
    assert digest(mine) == before


def test_build_tool_refuses_then_overwrites_on_request(toy_file, tmp_path,
                                                       run_tool, caplog):
    out = tmp_path / 'mine.npz'
    assert run_tool('build_text_bank', [toy_file, '--dim', 8, '--out',
                                        out]) == 0
    before = digest(out)
    assert run_tool('build_text_bank', [toy_file, '--dim', 4, '--out',
                                        out]) == 1
    assert 'does not match the bank asked for (changed: encoder)' in \
        caplog.text
    assert caplog.text.rstrip().endswith('; or pass --overwrite')
    assert digest(out) == before
    assert run_tool('build_text_bank', [toy_file, '--dim', 4, '--out', out,
                                        '--overwrite']) == 0
    assert load_text_bank(str(out)).dim == 4
