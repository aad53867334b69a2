"""plan_oneshot: which data each one-shot subset of a config reads."""
import pytest
from mmengine.config import Config

from crossglg_mmaction.datasets import get_protocol
from crossglg_mmaction.datasets.oneshot_plan import (is_oneshot,
                                                     loader_dataset,
                                                     plan_oneshot)

NTU60 = get_protocol('ntu60').to_dict()


def pipeline(*keys):
    return [dict(type='PackActionInputs', algorithm_keys=keys)]


def oneshot_cfg(train_extra=None, test_extra=None, train_type=None):
    train = dict(dict(type=train_type or 'TextAnnotatedDataset',
                      ann_file='train.pkl', protocol='ntu60',
                      num_base_classes=3, holdout_dev=True,
                      pipeline=pipeline('text_embedding')),
                 **(train_extra or {}))
    test = dict(dict(type='OneShotPoseDataset', ann_file='test.pkl',
                     protocol='ntu60', subset='novel', layout='ntu25',
                     pipeline=pipeline('is_exemplar'), test_mode=True),
                **(test_extra or {}))
    return Config(dict(
        train_dataloader=dict(dataset=dict(
            type='RepeatDataset', times=2,
            dataset=dict(type='ClassBalancedDataset', oversample_thr=0.5,
                         dataset=train))),
        test_dataloader=dict(dataset=test)))


def test_loader_dataset_unwraps_and_is_oneshot_knows_the_types():
    cfg = oneshot_cfg()
    assert loader_dataset(cfg, 'train_dataloader')['ann_file'] == 'train.pkl'
    assert loader_dataset(cfg, 'val_dataloader') is None
    assert is_oneshot(loader_dataset(cfg, 'train_dataloader'))
    assert is_oneshot(dict(type='OneShotPoseDataset'))
    assert not is_oneshot(dict(type='PoseDataset'))
    assert not is_oneshot(None)


def test_base_reads_the_training_set_evaluated_the_test_set():
    plan = plan_oneshot(oneshot_cfg(dict(text_bank=dict(
        annotations='ntu120'))))
    assert plan.dataset_cfg('base') == dict(
        type='OneShotPoseDataset', ann_file='train.pkl', protocol=NTU60,
        layout='ntu25', subset='base', num_base_classes=3,
        holdout_dev=True, pipeline=pipeline('is_exemplar'), test_mode=True)
    novel = plan.dataset_cfg('novel', with_text=True)
    assert novel == dict(
        type='TextAnnotatedDataset', ann_file='test.pkl', protocol=NTU60,
        layout='ntu25', subset='novel',
        pipeline=pipeline('is_exemplar'), test_mode=True,
        text_bank=dict(annotations='ntu120'))
    assert plan.classes('base') == [2, 3]  # the dev class 1 held out
    assert plan.classes('novel') == [0, 6, 12, 18, 24, 30, 36, 42, 48, 54]
    assert plan.class_names()[:2] == ['drink water', 'eat meal/snack']
    # the returned configs are copies
    plan.dataset_cfg('base')['pipeline'].clear()
    assert plan.dataset_cfg('base')['pipeline'] == pipeline('is_exemplar')


def test_overrides():
    plan = plan_oneshot(oneshot_cfg(dict(holdout_dev=False)),
                        protocol='ntu60',
                        ann_file='other.pkl', num_base_classes=2,
                        holdout_dev=True)
    base = plan.dataset_cfg('base', pipeline=pipeline('x'))
    assert base['ann_file'] == 'other.pkl'
    assert base['num_base_classes'] == 2 and base['holdout_dev']
    assert base['pipeline'] == pipeline('x')
    assert plan.dataset_cfg('dev')['ann_file'] == 'other.pkl'
    assert plan.classes('base') == [2]
    explicit = plan_oneshot(oneshot_cfg(dict(base_classes=[9, 8],
                                             holdout_dev=False)),
                            num_base_classes=1)
    assert 'base_classes' not in explicit.base
    assert explicit.classes('base') == [1]


def test_fallbacks():
    # a training set that is not one-shot: the base subset reads the test
    # set's data; the layout defaults to the protocol's
    cfg = oneshot_cfg(train_type='PoseDataset', test_extra=dict(
        layout=None))
    plan = plan_oneshot(cfg)
    assert plan.layout == 'ntu25'
    base = plan.dataset_cfg('base')
    assert base['ann_file'] == 'test.pkl'
    assert base['layout'] == 'ntu25'
    assert 'num_base_classes' not in base
    assert len(plan.classes('base')) == 50
    # the validation set stands in for a missing test set
    cfg = oneshot_cfg()
    cfg.val_dataloader = cfg.pop('test_dataloader')
    assert plan_oneshot(cfg).dataset_cfg('novel')['ann_file'] == 'test.pkl'


def test_errors():
    cfg = oneshot_cfg()
    with pytest.raises(ValueError, match='subset must be one of'):
        plan_oneshot(cfg).dataset_cfg('all')
    with pytest.raises(ValueError, match="cfg.py: joint importance needs "
                       "the text bank.*'TextAnnotatedDataset' without"):
        plan_oneshot(cfg, 'cfg.py').dataset_cfg('base', True)
    with pytest.raises(ValueError, match='cfg.py: no test_dataloader'):
        plan_oneshot(Config(dict(train_dataloader=None)), 'cfg.py')
    cfg = oneshot_cfg(dict(protocol=None), dict(protocol=None))
    with pytest.raises(ValueError, match='cfg.py: its datasets name no '
                       'one-shot protocol'):
        plan_oneshot(cfg, 'cfg.py')
