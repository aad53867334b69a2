"""Check at start-up that a guided model gets its text from the data."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS
from ...models.heads.crossglg_head import KEY_JOINT_FIELD, TEXT_FIELD


@HOOKS.register_module()
class TextFieldsCheckHook(Hook):
    """Stop before the first iteration when training text is missing.

    A :class:`CrossGLGHead` with a guidance branch needs ``text_embedding``
    in every training sample, a calibration loss needs ``key_joints``. They
    come from :class:`TextAnnotatedDataset` and must be listed in
    ``PackActionInputs(algorithm_keys=...)``. One training sample is packed
    before training starts and the fields the head needs are looked up in
    it; a missing one raises an error naming the dataset and the head, and
    so does a text embedding whose width differs from the guidance
    branch's ``text_channels``. Models without a CrossGLG head are not
    checked.
    """
    priority = 'VERY_LOW'

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        head = getattr(model, 'cls_head', None)
        needed = []
        if getattr(head, 'guidance', None) is not None:
            needed.append(TEXT_FIELD)
        if getattr(head, 'loss_calibrate', None) is not None:
            needed.append(KEY_JOINT_FIELD)
        if not needed:
            return
        dataset = runner.train_dataloader.dataset
        sample = dataset[0]['data_samples']
        missing = [name for name in needed if name not in sample]
        if missing:
            raise ValueError(
                f'{type(head).__name__} trains on the data-sample fields '
                f'{needed}, but the training dataset '
                f'{type(dataset).__name__} ({getattr(dataset, "ann_file", "")})'
                f' provides no {missing}: use TextAnnotatedDataset with a '
                'text_bank and PackActionInputs(algorithm_keys='
                f"('{TEXT_FIELD}', '{KEY_JOINT_FIELD}')).")
        if TEXT_FIELD in needed:
            check_text_width(head.guidance, sample.get(TEXT_FIELD), dataset)


def check_text_width(guidance, text, dataset) -> None:
    """Raise when the dataset's text is not as wide as the guidance expects.
    """
    expected = getattr(guidance, 'text_channels', None)
    width = tuple(text.shape)[-1]
    if expected is None or width == expected:
        return
    bank = getattr(dataset, 'bank', None)
    source = f'text bank {bank.path}' if getattr(bank, 'path', None) else \
        f'training dataset {type(dataset).__name__}'
    raise ValueError(
        f'the guidance branch expects {expected}-d text embeddings '
        f'(model.cls_head.guidance.text_channels={expected}), but the '
        f'{source} gives {width}-d ones: set model.cls_head.guidance.'
        f'text_channels and the dataset\'s text_bank.text_channels to the '
        f'width of the text encoder ({width} for this bank)')
