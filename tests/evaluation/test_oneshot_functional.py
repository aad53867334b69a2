import numpy as np
import pytest
import sklearn.linear_model

from crossglg_mmaction.evaluation.functional import (
    base_statistics, calibrate, class_prototypes, confusion_matrix,
    cosine_similarity, distribution_calibration_predict, mean_class_accuracy,
    per_class_accuracy, prototype_predict, sample_calibrated, top1_accuracy,
    tukey_transform)


def test_cosine_and_prototypes_by_hand():
    assert np.allclose(cosine_similarity([[3, 4]], [[1, 0], [0, 2]]),
                       [[0.6, 0.8]])
    exemplars = [[1, 0], [0, 1]]
    queries = [[2, 1], [1, 3], [1, 1]]
    # cos to class 0: 2/sqrt5, 1/sqrt10, 1/sqrt2; class 1: 1/sqrt5, ...
    # the tie [1, 1] goes to the smaller label
    assert prototype_predict(queries, exemplars, [7, 9]).tolist() == [
        7, 9, 7
    ]
    classes, protos = class_prototypes([[1, 0], [0, 2], [5, 5]], [0, 0, 1])
    assert classes.tolist() == [0, 1]
    assert np.allclose(protos, [[0.5, 0.5], [2**-0.5, 2**-0.5]])


def test_accuracies_and_confusion_by_hand():
    pred, true = [0, 0, 1, 1, 2], [0, 1, 1, 1, 2]
    assert top1_accuracy(pred, true) == pytest.approx(0.8)
    classes, acc = per_class_accuracy(pred, true, classes=[0, 1, 2, 3])
    assert np.allclose(acc[:3], [1, 2 / 3, 1]) and np.isnan(acc[3])
    assert mean_class_accuracy(pred, true) == pytest.approx(8 / 9)
    assert confusion_matrix(pred, true, [0, 1, 2]).tolist() == [
        [1, 0, 0], [1, 2, 0], [0, 0, 1]
    ]
    with pytest.raises(ValueError, match=r'\[2\] are not in classes'):
        confusion_matrix(pred, true, [0, 1])
    with pytest.raises(ValueError, match='same 1-D shape'):
        top1_accuracy([0, 1], [0])
    with pytest.raises(ValueError, match='no predictions'):
        top1_accuracy([], [])


BASE = np.array([[0, 0], [2, 2], [4, 0], [4, 2], [10, 10], [10, 12]], float)
BASE_LABELS = np.array([0, 0, 1, 1, 2, 2])


def test_base_statistics_by_hand():
    classes, means, covs = base_statistics(BASE, BASE_LABELS)
    assert classes.tolist() == [0, 1, 2]
    assert np.allclose(means, [[1, 1], [4, 1], [10, 11]])
    assert np.allclose(covs[0], [[2, 2], [2, 2]])
    assert np.allclose(covs[1], [[0, 0], [0, 2]])
    with pytest.raises(ValueError, match=r'base classes \[2\] have fewer '
                       'than 2 samples'):
        base_statistics(BASE[:5], BASE_LABELS[:5])


def test_calibrate_by_hand():
    _, means, covs = base_statistics(BASE, BASE_LABELS)
    # distances from [3, 1]: 2 (class 0), 1 (class 1), sqrt(149) (class 2)
    mean, cov = calibrate(np.array([3., 1.]), means, covs, k=2, alpha=0.21)
    assert np.allclose(mean, [8 / 3, 1])  # ([4,1] + [1,1] + [3,1]) / 3
    # ([[2,2],[2,2]] + [[0,0],[0,2]]) / 2, plus 0.21 on every entry
    assert np.allclose(cov, [[1.21, 1.21], [1.21, 2.21]])
    mean, cov = calibrate(np.array([3., 1.]), means, covs, k=1, alpha=0)
    assert np.allclose(mean, [3.5, 1]) and np.allclose(cov, covs[1])
    with pytest.raises(ValueError, match='k=4 nearest'):
        calibrate(np.array([3., 1.]), means, covs, k=4)


def test_tukey_by_hand():
    assert np.allclose(tukey_transform([[4, 0.25, 0]]), [[2, 0.5, 0]])
    assert np.allclose(tukey_transform([[8]], lam=1 / 3), [[2]])
    with pytest.raises(ValueError, match='negative values'):
        tukey_transform([[1, -0.5]])
    with pytest.raises(ValueError, match=r'rows contain NaN.*rows \[1\]'):
        tukey_transform([[1, 2], [np.nan, 1]])
    with pytest.raises(ValueError, match='must be > 0'):
        tukey_transform([[1]], lam=0)


def test_sampling_counts_moments_and_seed():
    _, means, covs = base_statistics(BASE, BASE_LABELS)
    support = np.array([[3., 1.], [3., 1.], [9., 11.]])
    labels = np.array([5, 5, 6])
    x, y = sample_calibrated(support, labels, means, covs,
                             np.random.default_rng(0))
    assert x.shape == (1500, 2)
    assert (y == 5).sum() == 750 and (y == 6).sum() == 750
    assert np.allclose(x[y == 5].mean(0), [8 / 3, 1], atol=0.2)
    assert np.allclose(np.cov(x[y == 5].T), [[1.21, 1.21], [1.21, 2.21]],
                       atol=0.3)
    again, _ = sample_calibrated(support, labels, means, covs,
                                 np.random.default_rng(0))
    other, _ = sample_calibrated(support, labels, means, covs,
                                 np.random.default_rng(1))
    assert np.array_equal(x, again) and not np.array_equal(x, other)


def make_episode(seed=0, dim=4):
    rng = np.random.default_rng(seed)
    centres = np.eye(dim) * 4
    base = np.abs(np.concatenate(
        [c + rng.normal(0, 0.3, (20, dim)) for c in centres[:3]]))
    base_labels = np.repeat([0, 1, 2], 20)
    support = np.array([[0, 0, 0, 4.], [4, 4, 0, 0]])
    queries = np.abs(np.concatenate(
        [s + rng.normal(0, 0.3, (5, dim)) for s in support]))
    return support, queries, base, base_labels


def test_distribution_calibration_predict(monkeypatch):
    support, queries, base, base_labels = make_episode()
    fits = []

    class Recording(sklearn.linear_model.LogisticRegression):

        def fit(self, x, y):
            fits.append((self.max_iter, x, y))
            return super().fit(x, y)

    monkeypatch.setattr(sklearn.linear_model, 'LogisticRegression',
                        Recording)
    pred = distribution_calibration_predict(support, [10, 11], queries, base,
                                            base_labels, seed=3)
    assert pred.tolist() == [10] * 5 + [11] * 5
    max_iter, x, y = fits[0]
    assert max_iter == 1000 and x.shape == (1502, 4)
    assert np.allclose(x[:2], np.sqrt(support))  # the Tukey'd support
    assert (y == 10).sum() == 751
    again = distribution_calibration_predict(support, [10, 11], queries, base,
                                             base_labels, seed=3)
    assert np.array_equal(pred, again)
    assert np.array_equal(fits[0][1], fits[1][1])


def test_distribution_calibration_errors():
    support, queries, base, base_labels = make_episode()
    negative = queries.copy()
    negative[0, 2] = -0.1
    with pytest.raises(ValueError, match='query features: 1 rows have '
                       "negative.*embedding='hidden'"):
        distribution_calibration_predict(support, [0, 1], negative, base,
                                         base_labels)
    bad = base.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r'base features: 1 rows contain '
                       r'NaN.*rows \[3\]'):
        distribution_calibration_predict(support, [0, 1], queries, bad,
                                         base_labels)
    with pytest.raises(ValueError, match='differ in width'):
        distribution_calibration_predict(support[:, :3], [0, 1],
                                         queries[:, :3], base, base_labels)
