"""TextAnnotatedDataset: the text fields every sample carries."""
import pickle

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

from crossglg_mmaction.datasets import (OneShotPoseDataset,
                                        TextAnnotatedDataset)
from crossglg_mmaction.datasets.text_annotated_dataset import \
    load_dataset_text_bank
from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (new_annotations,
                                                save_annotations,
                                                upsert_description)
from text_fakes import toy_description

NAMES = ('wave', 'sit', 'kick', 'jump')
KEY_JOINTS = (['head', 'right_hand'], ['spine_base'], ['left_foot'],
              ['left_knee', 'right_knee'])
PROTOCOL = dict(name='toy', layout='ntu25', num_classes=4,
                novel_classes=[3], exemplars={'3': 'c3_s0'},
                class_names=list(NAMES))


@pytest.fixture
def dataset_cfg(tmp_path):
    """A TextAnnotatedDataset config of the base classes 0-2 (3 samples
    each) with an 8-d TF-IDF bank in ``tmp_path``."""
    rng = np.random.default_rng(0)
    annotations = [
        dict(frame_dir=f'c{label}_s{i}', label=label, total_frames=5,
             keypoint=rng.normal(size=(1, 5, 25, 3)).astype(np.float32))
        for label in range(4) for i in range(3)
    ]
    with open(tmp_path / 'data.pkl', 'wb') as f:
        pickle.dump(dict(split={}, annotations=annotations), f)
    text = new_annotations('toy', 'ntu25', 'authored')
    for label, (name, joints) in enumerate(zip(NAMES, KEY_JOINTS)):
        upsert_description(text, label, name, 'authored', toy_description(
            'ntu25', name, f'The person does {name} with the whole body.',
            joints))
    save_annotations(text, str(tmp_path / 'text.json'))
    return dict(
        ann_file=str(tmp_path / 'data.pkl'), protocol=PROTOCOL,
        pipeline=[dict(type='PackActionInputs',
                       algorithm_keys=('text_embedding', 'key_joints'))],
        text_bank=dict(annotations=str(tmp_path / 'text.json'),
                       encoder=dict(type='tfidf_svd', dim=8),
                       cache_dir=str(tmp_path / 'banks'), text_channels=8))


def test_samples_carry_their_class_text(dataset_cfg):
    init_default_scope('mmaction')
    dataset = TextAnnotatedDataset(**dataset_cfg)
    joints = get_layout('ntu25').joints
    assert dataset.metainfo['original_labels'] == (0, 1, 2)
    embeddings = {}
    for idx in range(len(dataset)):
        info = dataset.get_data_info(idx)
        label = info['original_label']
        embedding, key_joints = info['text_embedding'], info['key_joints']
        # tensors: MMEngine moves them to the device, torch.compile traces it
        assert embedding.shape == (25, 8) and embedding.dtype == torch.float32
        assert key_joints.shape == (25, ) and key_joints.dtype == torch.float32
        embedding, key_joints = embedding.numpy(), key_joints.numpy()
        assert sorted(joints[j] for j in np.flatnonzero(key_joints)) == \
            sorted(KEY_JOINTS[label])
        assert set(np.unique(key_joints)) == {0.0, 1.0}
        bank_embedding, bank_joints = dataset.bank.for_label(label)
        np.testing.assert_array_equal(embedding, bank_embedding)
        np.testing.assert_array_equal(key_joints, bank_joints)
        embeddings[label] = embedding
    assert not np.allclose(embeddings[0], embeddings[1])
    # attached on access, not stored with every sample
    assert 'text_embedding' not in OneShotPoseDataset.get_data_info(
        dataset, 0)

    packed = dataset[4]['data_samples']
    assert packed.gt_label.item() == 1
    np.testing.assert_array_equal(packed.text_embedding, embeddings[1])
    assert packed.key_joints.sum() == 1


def test_the_bank_of_a_config_without_the_data(dataset_cfg):
    with_data = TextAnnotatedDataset(**dataset_cfg).bank
    bank = load_dataset_text_bank(dict(dataset_cfg, ann_file='absent.pkl'))
    assert bank.path == with_data.path
    np.testing.assert_array_equal(bank.embeddings, with_data.embeddings)
    np.testing.assert_array_equal(bank.labels, [0, 1, 2])
