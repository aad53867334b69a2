import json
import logging
import os

import numpy as np
import pytest

from crossglg_mmaction.text import bank as bank_module
from crossglg_mmaction.text.annotations import (AnnotationError,
                                                load_annotations)
from crossglg_mmaction.text.encoders import TfidfSvdEncoder
from crossglg_mmaction.text.bank import (TextBank, build_text_bank,
                                         get_text_bank, load_text_bank,
                                         save_text_bank)
from crossglg_mmaction.text.keyjoints import KeyJointExtractor

TFIDF = dict(type='tfidf_svd', dim=16)


def edit_joint_text(path, label, joint, text):
    data = json.load(open(path))
    data['classes'][label]['descriptions']['authored']['joints'][joint] = text
    with open(path, 'w') as f:
        json.dump(data, f)


def test_build_save_and_reuse(toy_file, tmp_path, caplog):
    with caplog.at_level(logging.INFO):
        bank = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path / 'c'))
    assert bank.path == str(tmp_path / 'c' / 'toy.authored.tfidf_svd-d16.npz')
    assert os.path.isfile(bank.path)
    assert bank.labels.tolist() == [0, 1, 2]
    assert bank.embeddings.shape == (3, 25, 16)
    assert bank.embeddings.dtype == np.float32
    assert bank.key_joints.shape == (3, 25)
    assert bank.key_joints.dtype == np.float32
    assert bank.layout == 'ntu25' and bank.dim == 16
    embedding, key_joints = bank.for_label(1)
    assert embedding.shape == (25, 16)
    assert key_joints.nonzero()[0].tolist() == [3, 11]
    meta = bank.meta
    assert meta['encoder']['name'] == 'tfidf_svd'
    assert meta['encoder']['dim'] == 16
    assert meta['encoder']['revision'].startswith('scikit-learn ')
    assert meta['description_set'] == 'authored'
    assert meta['annotation_file'] == 'toy.json'
    assert meta['extractor'] == 'lexical'
    assert meta['class_names'] == ['drink water', 'kicking something',
                                   'clapping']
    assert len(meta['texts_sha256']) == 64
    assert 'text encoder: offline TF-IDF' in caplog.text

    loaded = load_text_bank(bank.path)
    np.testing.assert_array_equal(loaded.embeddings, bank.embeddings)
    np.testing.assert_array_equal(loaded.key_joints, bank.key_joints)
    assert loaded.meta == json.loads(json.dumps(meta))


def test_cache_hit_does_not_encode(toy_file, tmp_path, caplog, monkeypatch):
    first = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    mtime = os.stat(first.path).st_mtime_ns

    def fail(*args):
        raise AssertionError('a cache hit must not build')

    monkeypatch.setattr(bank_module, '_build', fail)
    with caplog.at_level(logging.INFO):
        second = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    assert f'text bank cache hit: {first.path}' in caplog.text
    np.testing.assert_array_equal(second.embeddings, first.embeddings)
    assert os.stat(first.path).st_mtime_ns == mtime


def test_changed_text_is_detected_and_rebuilt(toy_file, tmp_path, caplog):
    first = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    edit_joint_text(toy_file, 2, 'left_wrist', 'The left wrist snaps.')
    with caplog.at_level(logging.INFO):
        second = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    assert second.path == first.path
    assert f'text bank {first.path} is stale (changed: texts_sha256, ' \
        'corpus_sha256); rebuilding' in caplog.text
    assert second.meta['cache_key'] != first.meta['cache_key']
    assert load_text_bank(first.path).meta['cache_key'] == \
        second.meta['cache_key']
    assert not np.array_equal(second.embeddings[2, 6],
                              first.embeddings[2, 6])


def test_other_encoder_in_the_cache_is_stale(toy_file, tmp_path, caplog):
    path = str(tmp_path / 'toy.authored.tfidf_svd-d8.npz')
    get_text_bank(toy_file, TFIDF, path=path)  # a d16 bank under d8's name
    with caplog.at_level(logging.WARNING):
        bank = get_text_bank(toy_file, dict(type='tfidf_svd', dim=8),
                             cache_dir=str(tmp_path))
    assert bank.path == path
    assert 'is stale (changed: encoder)' in caplog.text
    assert bank.dim == 8 and load_text_bank(path).dim == 8


def test_other_encoder_at_a_named_path_is_replaced_on_request(
        toy_file, tmp_path, caplog):
    path = str(tmp_path / 'bank.npz')
    get_text_bank(toy_file, TFIDF, path=path)
    with caplog.at_level(logging.WARNING):
        bank = get_text_bank(toy_file, dict(type='tfidf_svd', dim=8),
                             path=path, overwrite=True)
    assert 'is stale (changed: encoder)' in caplog.text
    assert bank.dim == 8 and load_text_bank(path).dim == 8


def test_changed_encoder_settings_make_the_cache_stale(
        toy_file, tmp_path, monkeypatch, caplog):
    first = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    monkeypatch.setattr(TfidfSvdEncoder, 'VECTORIZER',
                        dict(TfidfSvdEncoder.VECTORIZER, ngram_range=(1, 1)))
    with caplog.at_level(logging.INFO):
        second = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    assert second.path == first.path
    assert 'is stale (changed: encoder); rebuilding' in caplog.text
    assert second.meta['encoder']['settings']['vectorizer'][
        'ngram_range'] == [1, 1]


def test_unreadable_cache_is_rebuilt(toy_file, tmp_path, caplog):
    path = tmp_path / 'toy.authored.tfidf_svd-d16.npz'
    path.write_bytes(b'not a zip file')
    with caplog.at_level(logging.WARNING):
        bank = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path))
    assert 'cannot read cached text bank' in caplog.text
    assert load_text_bank(str(path)).meta['cache_key'] == \
        bank.meta['cache_key']


def test_save_is_atomic(toy_file, tmp_path, monkeypatch):
    path = str(tmp_path / 'bank.npz')
    good = get_text_bank(toy_file, TFIDF, path=path)
    before = open(path, 'rb').read()

    def broken_savez(f, **arrays):
        f.write(b'partial')
        raise OSError('disk full')

    monkeypatch.setattr(np, 'savez', broken_savez)
    with pytest.raises(OSError, match='disk full'):
        save_text_bank(good, path)
    assert open(path, 'rb').read() == before
    assert sorted(os.listdir(tmp_path)) == ['bank.npz', 'toy.json']


def test_missing_key_joints_are_extracted(tmp_path, make_toy, caplog):
    from crossglg_mmaction.text.annotations import save_annotations
    path = str(tmp_path / 'raw.json')
    save_annotations(make_toy(with_key_joints=False), path)
    extractor = KeyJointExtractor('ntu25', backend='lexical')
    bank = get_text_bank(path, TFIDF, cache_dir=str(tmp_path),
                         extractor=extractor)
    assert bank.meta['extractor'] == 'lexical'
    assert bank.meta['key_components']['extractor'] == 'lexical'
    # "Both hands meet in front of the chest ..."
    assert bank.key_joints[2].nonzero()[0].tolist() == [
        1, 7, 11, 20, 21, 22, 23, 24]
    with caplog.at_level(logging.INFO):
        get_text_bank(path, TFIDF, cache_dir=str(tmp_path),
                      extractor='lexical')
    assert 'cache hit' in caplog.text


def test_label_subset_and_order(toy_file, tmp_path):
    bank = get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path),
                         labels=[2, 0])
    assert bank.labels.tolist() == [2, 0]
    assert os.path.basename(bank.path).startswith(
        'toy.authored.tfidf_svd-d16.k2-')
    full = build_text_bank(toy_file, TFIDF)
    # the offline encoder is fitted on the whole file, so subsets agree
    np.testing.assert_allclose(bank.for_label(2)[0], full.for_label(2)[0],
                               atol=1e-6)
    with pytest.raises(AnnotationError, match=r'class label\(s\) \[5\]'):
        get_text_bank(toy_file, TFIDF, cache_dir=str(tmp_path),
                      labels=[0, 5])


def test_annotations_object_and_set(toy_file, tmp_path):
    ann = load_annotations(toy_file)
    bank = get_text_bank(ann, TFIDF, cache_dir=str(tmp_path))
    assert bank.meta['annotation_file'] == 'toy.json'
    with pytest.raises(AnnotationError, match="unknown description set 'x'"):
        get_text_bank(ann, TFIDF, cache_dir=str(tmp_path),
                      description_set='x')


def test_huggingface_bank(toy_file, tmp_path, tiny_hf_models, caplog):
    model, hidden = tiny_hf_models['deberta']
    encoder = dict(type='huggingface', model=model, batch_size=8)
    with caplog.at_level(logging.INFO):
        bank = get_text_bank(toy_file, encoder, cache_dir=str(tmp_path))
    assert bank.embeddings.shape == (3, 25, hidden)
    assert bank.meta['encoder']['name'] == model
    assert 'text encoder: HuggingFace' in caplog.text
    assert os.path.basename(bank.path).startswith('toy.authored.hf-')
    again = get_text_bank(toy_file, encoder, cache_dir=str(tmp_path))
    np.testing.assert_array_equal(again.embeddings, bank.embeddings)


def test_load_errors(tmp_path, toy_file):
    with pytest.raises(FileNotFoundError, match='missing.npz not found; '
                       'build it with tools/build_text_bank.py'):
        load_text_bank(str(tmp_path / 'missing.npz'))
    junk = tmp_path / 'junk.npz'
    junk.write_text('junk')
    with pytest.raises(ValueError, match='junk.npz: not a readable text bank'):
        load_text_bank(str(junk))
    partial = str(tmp_path / 'partial.npz')
    np.savez(partial, labels=np.arange(2))
    with pytest.raises(ValueError, match=r"partial.npz: not a text bank, "
                       r"arrays \['embeddings', 'key_joints', 'meta'\] are "
                       r'missing'):
        load_text_bank(partial)
    other = str(tmp_path / 'other.npz')
    np.savez(other, labels=np.arange(2), embeddings=np.zeros((2, 3, 4)),
             key_joints=np.zeros((2, 3)), meta=np.array('{"format": "x"}'))
    with pytest.raises(ValueError, match="meta.format is not "
                       "'crossglg-text-bank'"):
        load_text_bank(other)


def test_bank_checks():
    meta = {'layout': 'ntu25'}
    with pytest.raises(ValueError, match=r'inconsistent shapes: labels \(2,\)'
                       r', embeddings \(3, 25, 4\)'):
        TextBank(np.arange(2), np.zeros((3, 25, 4)), np.zeros((3, 25)), meta)
    with pytest.raises(ValueError, match='duplicate labels'):
        TextBank(np.array([1, 1]), np.zeros((2, 25, 4)), np.zeros((2, 25)),
                 meta)
    bank = TextBank(np.array([4, 7]), np.zeros((2, 25, 4)),
                    np.zeros((2, 25)), meta, path='b.npz')
    with pytest.raises(KeyError, match=r'b.npz: no class label 5; the bank '
                       r'has 2 labels \[4, 7\]'):
        bank.for_label(5)
    bank.check(layout='nturgb+d', labels=[7], dim=4)
    with pytest.raises(ValueError, match="b.npz was built for layout 'ntu25' "
                       "but the config uses 'coco17'"):
        bank.check(layout='coco17')
    with pytest.raises(ValueError, match=r'b.npz lacks class label\(s\) \[1, '
                       r'2\] that the dataset uses'):
        bank.check(labels=[1, 2, 4], source='the dataset')
    with pytest.raises(ValueError, match='b.npz holds 4-d text embeddings but'
                       ' the config expects 1536-d'):
        bank.check(dim=1536)
