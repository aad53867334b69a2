import numpy as np
import pytest

from crossglg_mmaction.evaluation.feature_cache import (cache_key,
                                                        load_features,
                                                        save_features)
from crossglg_mmaction.evaluation.oneshot_eval import (evaluate_oneshot,
                                                       format_table)


def test_cache_hit_stale_corrupt_and_missing(tmp_path):
    path = str(tmp_path / 'f.npz')
    arrays = dict(embedding=np.arange(6, dtype=np.float32).reshape(3, 2),
                  label=np.array([1, 2, 3]))
    key = cache_key(checkpoint='abc', protocol=dict(name='p'))
    assert key != cache_key(checkpoint='abd', protocol=dict(name='p'))
    assert load_features(path, key) == (None, 'missing')
    save_features(path, arrays, key)
    loaded, status = load_features(path, key)
    assert status == 'hit' and np.array_equal(loaded['label'], [1, 2, 3])
    assert load_features(path, 'other')[1] == 'stale'
    with np.load(path) as data:
        tampered = {name: data[name] for name in data.files}
    tampered['label'] = np.array([1, 2, 4])
    np.savez(path, **tampered)
    assert load_features(path, key) == (None, 'corrupt: checksum mismatch')
    with open(path, 'wb') as f:
        f.write(b'\x00' * 10)
    assert load_features(path, key)[1].startswith('corrupt: ')


def test_evaluate_oneshot_checks():
    novel = dict(embedding=np.array([[1., 0], [0, 1], [1, .1], [.1, 1]]),
                 label=np.array([3, 4, 3, 4]),
                 is_exemplar=np.array([True, True, False, False]))
    base = dict(embedding=np.array([[1., 1], [2, 1], [0, 3], [1, 3],
                                    [3, 0], [3, 1]]),
                label=np.array([0, 0, 1, 1, 2, 2]))
    result = evaluate_oneshot(base, novel)
    assert result['prototype']['top1'] == 1.0
    assert result['calibrated']['top1'] == 1.0
    assert result['query_counts'] == [1, 1]
    table = format_table(dict(result, protocol='p', subset='novel',
                              num_base_classes=3))
    assert '| p (novel) | 3' in table and '100.00' in table
    negative = dict(base, embedding=base['embedding'] - 2)
    with pytest.raises(ValueError, match='non-negative embeddings'):
        evaluate_oneshot(negative, novel)
    assert evaluate_oneshot(negative, novel, calibration=False)[
        'calibrated'] is None
    twice = dict(novel, is_exemplar=np.array([True, True, True, False]))
    with pytest.raises(ValueError, match=r'exemplars per class: \{3: 2, 4: 1'):
        evaluate_oneshot(base, twice)
