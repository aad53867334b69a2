"""Construction-time checks of model config values."""


def check_positive_ints(owner: str, **values) -> None:
    """Raise ``ValueError`` naming ``owner`` and every key whose value is not
    a positive integer (e.g. ``base_channels=0``, ``num_classes=-1``).

    Args:
        owner (str): The module, for the message.
        **values: Config keys and their values.
    """
    bad = [f'{key} must be a positive integer, got {value!r}'
           for key, value in values.items()
           if isinstance(value, bool) or not isinstance(value, int)
           or value < 1]
    if bad:
        raise ValueError(f'{owner}: ' + '; '.join(bad))


def check_loss_weights(owner: str, **losses) -> None:
    """Raise ``ValueError`` when a built loss has a negative ``loss_weight``
    (a negative alpha would maximise its loss).

    Args:
        owner (str): The module, for the message.
        **losses: Config keys and their built losses (None is skipped).
    """
    bad = [f'{key}.loss_weight must be >= 0, got {loss.loss_weight!r}'
           for key, loss in losses.items()
           if getattr(loss, 'loss_weight', 0) < 0]
    if bad:
        raise ValueError(f'{owner}: ' + '; '.join(bad))
