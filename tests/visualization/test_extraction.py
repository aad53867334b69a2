"""Running a trained model over a one-shot subset for the pictures."""
from types import SimpleNamespace

import numpy as np
import pytest

from crossglg_mmaction.visualization import (build_subset_dataset,
                                             class_indices, class_mean,
                                             extract_features, load_model,
                                             resolve_classes, sample_table)


def fake_dataset():
    return SimpleNamespace(
        subset='novel',
        metainfo=dict(classes=('Wave Hand', 'nod', '7'),
                      original_labels=(3, 5, 9)))


def test_resolve_classes():
    dataset = fake_dataset()
    assert resolve_classes(dataset) == [3, 5, 9]
    assert resolve_classes(dataset, ['wave hand', '5', 'NOD']) == [3, 5]
    assert resolve_classes(dataset, [9]) == [9]
    assert resolve_classes(dataset, ['7']) == [9]  # a name before a label
    with pytest.raises(ValueError, match=r"\['jump', '4'\] are not in the "
                       r'novel subset; .*3 \(Wave Hand\), 5 \(nod\)'):
        resolve_classes(dataset, ['jump', 'nod', '4'])


def test_class_indices_and_mean():
    labels = np.array([2, 1, 2, 2, 1, 0])
    assert class_indices(labels, [2, 1]) == [0, 1, 2, 3, 4]
    assert class_indices(labels, [2, 1], max_per_class=2) == [0, 1, 2, 4]
    assert class_indices(labels, [0], max_per_class=0) == [5]
    values = np.arange(6.)[:, None] * np.ones((6, 2))
    np.testing.assert_allclose(class_mean(values, labels, [1, 2]),
                               [[2.5, 2.5], [5 / 3, 5 / 3]])
    with pytest.raises(ValueError, match=r'no samples of classes \[7\]'):
        class_mean(values, labels, [7])


def test_extract_features(tiny_models):
    config, checkpoint = tiny_models['crossglg']
    cfg, model = load_model(config, checkpoint, device='cpu')
    dataset = build_subset_dataset(cfg, 'base')
    frame_dirs, labels = sample_table(dataset)
    assert sorted(set(labels.tolist())) == [0, 1, 2]
    indices = class_indices(labels, [2, 0], max_per_class=2)
    features = extract_features(model, dataset, indices, blocks=None,
                                batch_size=3, keep_inputs=True,
                                progress=False)
    assert features.frame_dirs == [frame_dirs[i] for i in indices]
    np.testing.assert_array_equal(features.labels, labels[indices])
    assert features.joint_importance.shape == (4, 25)
    np.testing.assert_allclose(features.joint_importance.sum(1), 1,
                               rtol=1e-5)
    assert sorted(features.attention) == [1, 5, 9]
    assert features.attention[9].shape == (4, 25, 25)
    assert features.inputs.shape == (4, 32, 25, 3)  # clip_len 32
    np.testing.assert_allclose(
        features.class_attention(5, [0, 2]),
        [features.attention[5][features.labels == c].mean(0)
         for c in (0, 2)])
    np.testing.assert_allclose(
        features.class_importance([2]),
        features.joint_importance[features.labels == 2].mean(0,
                                                             keepdims=True))

    # batching does not change what a sample gets
    one_by_one = extract_features(model, dataset, indices, blocks=[9],
                                  batch_size=1, progress=False)
    np.testing.assert_allclose(one_by_one.attention[9],
                               features.attention[9], atol=1e-5)
    np.testing.assert_allclose(one_by_one.joint_importance,
                               features.joint_importance, atol=1e-6)
    assert one_by_one.inputs is None


def test_baseline_has_no_importance(tiny_models):
    cfg, model = load_model(*tiny_models['baseline'], device='cpu')
    dataset = build_subset_dataset(cfg, 'novel')
    features = extract_features(model, dataset, [0, 1], blocks=[1],
                                progress=False, with_topology=False)
    assert features.joint_importance is None
    np.testing.assert_allclose(features.attention[1].sum(-1), 1, rtol=1e-5)
    with pytest.raises(ValueError, match='no joint importance'):
        features.class_importance([3])


def test_load_model_errors(tiny_models, tmp_path):
    config, _ = tiny_models['crossglg']
    with pytest.raises(FileNotFoundError, match='checkpoint not found'):
        load_model(config, str(tmp_path / 'missing.pth'))
    with pytest.raises(ValueError, match='does not fit the model of'):
        load_model(config, tiny_models['baseline'][1])
