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
    it; a missing one raises an error naming the dataset and the head.
    Models without a CrossGLG head are not checked.
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
