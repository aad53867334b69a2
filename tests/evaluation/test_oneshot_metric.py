import json
import math

import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from crossglg_mmaction.evaluation import EmbeddingCollector, OneShotMetric
from crossglg_mmaction.evaluation.functional import prototype_predict
from mmaction.registry import METRICS


def sample(embedding, label, exemplar, **extra):
    return dict(
        embedding=torch.tensor(embedding, dtype=torch.float32),
        gt_label=torch.tensor([label]),
        is_exemplar=exemplar,
        **extra)


def evaluate(samples, batch_size=2):
    metric = OneShotMetric()
    for i in range(0, len(samples), batch_size):
        metric.process(None, samples[i:i + batch_size])
    return metric.evaluate(len(samples))


HAND = [
    sample([1, 0], 0, True),
    sample([1, .1], 0, False),
    sample([0, 1], 1, True),
    sample([1, .2], 0, False),
    sample([.1, 1], 0, False),  # wrong: closer to class 1's exemplar
    sample([0, 1], 1, False),
    sample([.2, 1], 1, False),
]


def test_hand_made_case():
    assert METRICS.get('OneShotMetric') is OneShotMetric
    result = evaluate(HAND)
    assert result['oneshot/top1'] == pytest.approx(4 / 5)
    # class 0: 2 of 3, class 1: 2 of 2
    assert result['oneshot/mean_class_accuracy'] == pytest.approx(5 / 6)


def test_perfect_and_adversarial_exemplars():
    rng = np.random.default_rng(0)
    perfect, swapped = [], []
    for c in range(3):
        centre = np.eye(3)[c]
        perfect.append(sample(centre, c, True))
        swapped.append(sample(np.eye(3)[(c + 1) % 3], c, True))
        for _ in range(4):
            query = centre + rng.uniform(0, 0.2, 3)
            perfect.append(sample(query, c, False))
            swapped.append(sample(query, c, False))
    assert evaluate(perfect) == {
        'oneshot/top1': 1.0,
        'oneshot/mean_class_accuracy': 1.0
    }
    assert evaluate(swapped)['oneshot/top1'] == 0.0


def test_random_embeddings_match_the_functional_result():
    rng = np.random.default_rng(1)
    samples = [sample(rng.normal(size=8), c, True) for c in range(5)]
    samples += [
        sample(rng.normal(size=8), c, False) for c in range(5)
        for _ in range(100)
    ]
    pred = prototype_predict([s['embedding'].numpy() for s in samples[5:]],
                             [s['embedding'].numpy() for s in samples[:5]],
                             np.arange(5))
    truth = np.repeat(np.arange(5), 100)
    result = evaluate(samples, batch_size=7)
    assert result['oneshot/top1'] == pytest.approx((pred == truth).mean())
    assert 0.1 < result['oneshot/top1'] < 0.3  # chance is 0.2


def shard_like_mmengine(samples, world_size, batch_size):
    """What DefaultSampler(shuffle=False) + collect_results do: rank r gets
    indices r, r+W, ... of the list padded (from its start) to a multiple of
    W; rank 0 zips the parts back and truncates to the dataset size."""
    total = math.ceil(len(samples) / world_size) * world_size
    indices = list(range(len(samples)))
    indices += indices[:total - len(samples)]
    parts = []
    for rank in range(world_size):
        metric = OneShotMetric()
        mine = [samples[i] for i in indices[rank::world_size]]
        for i in range(0, len(mine), batch_size):
            metric.process(None, mine[i:i + batch_size])
        parts.append(metric.results)
    ordered = [r for group in zip(*parts) for r in group]
    return ordered


@pytest.mark.parametrize('world_size, batch_size', [(2, 1), (3, 2), (4, 3)])
def test_sharded_collection_keeps_each_exemplar_once(world_size, batch_size):
    # 7 samples, padded by samples 0, 1, ... (sample 0 is an exemplar)
    ordered = shard_like_mmengine(HAND, world_size, batch_size)
    metric = OneShotMetric()
    assert metric.compute_metrics(ordered[:len(HAND)]) == pytest.approx(
        dict(top1=4 / 5, mean_class_accuracy=5 / 6))
    if len(ordered) > len(HAND):  # the padding repeats exemplar 0
        with pytest.raises(ValueError, match=r'with several: \[0\]'):
            metric.compute_metrics(ordered)


def test_lost_exemplar_and_missing_fields():
    metric = OneShotMetric()
    metric.process(None, HAND[1:])
    with pytest.raises(ValueError, match=r'without one: \[0\]'):
        metric.compute_metrics(metric.results)
    no_flag = dict(HAND[0])
    no_flag.pop('is_exemplar')
    with pytest.raises(KeyError, match="algorithm_keys=\\('is_exemplar',\\)"):
        metric.process(None, [no_flag])
    no_embedding = dict(HAND[0])
    no_embedding.pop('embedding')
    with pytest.raises(KeyError, match='no `embedding`'):
        metric.process(None, [no_embedding])
    only_exemplars = OneShotMetric()
    only_exemplars.process(None, [HAND[0], HAND[2]])
    with pytest.raises(ValueError, match='no query'):
        only_exemplars.compute_metrics(only_exemplars.results)


def test_embedding_collector_keeps_order_and_fields():
    collector = EmbeddingCollector()
    samples = [
        sample([i, 1], i % 2, i == 0, original_label=10 + i) for i in range(5)
    ]
    collector.process(None, samples[:3])
    collector.process(None, samples[3:])
    assert collector.evaluate(5) == {'embeddings/num_samples': 5}
    got = collector.collected
    assert got['embedding'][:, 0].tolist() == [0, 1, 2, 3, 4]
    assert got['original_label'].tolist() == [10, 11, 12, 13, 14]
    assert got['is_exemplar'].tolist() == [True, False, False, False, False]


def _distributed_worker(rank, world_size, init_file, out_file):
    from mmengine.dataset import DefaultSampler
    dist.init_process_group('gloo', init_method=f'file://{init_file}',
                            rank=rank, world_size=world_size)
    sampler = DefaultSampler(list(range(len(HAND))), shuffle=False)
    metric = OneShotMetric()
    mine = [HAND[i] for i in sampler]
    for i in range(0, len(mine), 2):
        metric.process(None, mine[i:i + 2])
    result = metric.evaluate(len(HAND))
    if rank == 0:
        with open(out_file, 'w') as f:
            json.dump(result, f)
    dist.destroy_process_group()


def test_real_distributed_collection(tmp_path):
    # 7 samples on 2 ranks: the sampler pads with sample 0, an exemplar
    out_file = str(tmp_path / 'result.json')
    # fork: the children share the imported modules (spawn would re-import
    # torch and mmaction in each, ~10 s on 2 cores)
    mp.start_processes(
        _distributed_worker,
        args=(2, str(tmp_path / 'init'), out_file),
        nprocs=2,
        start_method='fork')
    with open(out_file) as f:
        result = json.load(f)
    assert result['oneshot/top1'] == pytest.approx(4 / 5)
    assert result['oneshot/mean_class_accuracy'] == pytest.approx(5 / 6)
