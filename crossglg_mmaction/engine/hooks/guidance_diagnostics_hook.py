"""Log whether CrossGLG's guidance still teaches the skeleton encoder."""
import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS

GRADIENT_RATIOS = (('loss_c', 'guidance/grad_ratio_c_to_cls'),
                   ('loss_calibrate', 'jid/grad_ratio_calibrate_to_cls'))


def gradient_norm(loss, params):
    """L2 norm of d loss / d params (params the loss does not reach: 0)."""
    grads = torch.autograd.grad(loss, params, retain_graph=True,
                                allow_unused=True)
    squares = [g.pow(2).sum() for g in grads if g is not None]
    return float(torch.stack(squares).sum().sqrt()) if squares else 0.


@HOOKS.register_module()
class GuidanceDiagnosticsHook(Hook):
    """Every ``interval`` training iterations, measure on the current batch
    how much CrossGLG's guidance branch depends on the skeleton, how much
    gradient it sends into the backbone, and how JID's joint importance
    agrees with the text's key joints.

    Logged (names not starting with ``loss_``, so nothing is optimised):
    ``guidance/skeleton_dependence``, ``guidance/text_dependence``,
    ``guidance/top1``, ``guidance/top1_skeleton_permuted`` and
    ``jid/cosine_key_joints``, ``jid/effective_joints`` (see
    :meth:`CrossGLGHead.guidance_diagnostics`), plus
    ``guidance/grad_ratio_c_to_cls`` and ``jid/grad_ratio_calibrate_to_cls``:
    the norm of the backbone gradient of the weighted ``loss_c`` (or
    ``loss_calibrate``) over that of ``loss_cls`` (L_s). docs/method.md
    explains how to read them.

    The measurement repeats the batch's forward pass in training mode and
    leaves training untouched: random generators and buffers (BN running
    statistics) are restored and no gradient is accumulated into the
    parameters. Models without a CrossGLG head are skipped.

    Args:
        interval (int): Iterations between measurements. Defaults to 50.
        seed (int): Seed of the within-batch permutations. Defaults to 0.
    """
    priority = 'NORMAL'  # before LoggerHook (BELOW_NORMAL) logs the iteration

    def __init__(self, interval=50, seed=0):
        if isinstance(interval, bool) or not isinstance(interval, int) \
                or interval < 1:
            raise ValueError(f'GuidanceDiagnosticsHook: interval must be a '
                             f'positive integer, got {interval!r}')
        self.interval = interval
        self.generator = torch.Generator().manual_seed(seed)

    @staticmethod
    def _model(runner):
        model = runner.model
        return model.module if is_model_wrapper(model) else model

    def before_train(self, runner) -> None:
        """Log the latest measurement, not a window mean, at every log."""
        if not hasattr(self._model(runner).cls_head, 'guidance_diagnostics'):
            return
        names = ['guidance/skeleton_dependence', 'guidance/text_dependence',
                 'guidance/top1', 'guidance/top1_skeleton_permuted',
                 'jid/cosine_key_joints', 'jid/effective_joints'
                 ] + [name for _, name in GRADIENT_RATIOS]
        custom = runner.log_processor.custom_cfg
        known = {cfg.get('data_src') for cfg in custom}
        custom.extend(dict(data_src=name, method_name='current')
                      for name in names if name not in known)

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        model = self._model(runner)
        if data_batch is None or not self.every_n_train_iters(
                runner, self.interval) or not hasattr(
                    model.cls_head, 'guidance_diagnostics'):
            return
        for name, value in self.measure(model, data_batch).items():
            runner.message_hub.update_scalar(f'train/{name}', value)

    def measure(self, model, data_batch):
        """All diagnostics of one batch, as a dict of floats."""
        buffers = {k: v.clone() for k, v in model.state_dict().items()
                   if k not in dict(model.named_parameters())}
        devices = [torch.cuda.current_device()] \
            if torch.cuda.is_available() else []
        try:
            with torch.random.fork_rng(devices=devices), \
                    torch.enable_grad():
                data = model.data_preprocessor(data_batch, True)
                inputs, samples = data['inputs'], data['data_samples']
                feats, head_kwargs = model.extract_feat(inputs)
                head = model.cls_head
                stats = head.guidance_diagnostics(
                    feats, samples, head_kwargs.get('k_out'),
                    generator=self.generator)
                losses = head.loss(feats, samples, **head_kwargs)
                params = [p for p in model.backbone.parameters()
                          if p.requires_grad]
                reference = gradient_norm(losses['loss_cls'], params)
                for loss_name, stat_name in GRADIENT_RATIOS:
                    if loss_name in losses:
                        stats[stat_name] = gradient_norm(
                            losses[loss_name], params) / max(reference, 1e-12)
        finally:
            model.load_state_dict(buffers, strict=False)
        return stats
