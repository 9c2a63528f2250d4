"""Checks of the exercises of lesson 08, "Convolutional networks".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get. The shape and
parameter counts are fixed numbers; the standardization check recomputes the statistics
from the lesson's photos, to tell the training photo's statistics from the new photo's (a
leak), from a reduction over the wrong axes and from min-max scaling (the wrong scaler);
the strided CNN's check reads the model's layers and how it was compiled and trained (the
weight updates per epoch of its last fit, its epochs, the data its validation scores were
measured on) and scores it on the lesson's validation images.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise
from course_utils.exercises._common import (
    activation_name,
    as_number,
    fitted_epochs,
    is_keras_model,
    is_number,
    same_keras_model,
    steps_per_epoch,
    training_steps,
    validated_on,
)
from course_utils.i18n import N_, _

# --- ex-cnn-output-shape ------------------------------------------------------------------

# 64 x 64 x 3 -> Conv2D(10, 5, "valid") -> 60 x 60 x 10 -> MaxPool2D(2) -> 30 x 30 x 10.
_POOLED_SHAPE = (30, 30, 10)
_FILTERS = 10


def _numbers(value: Any) -> np.ndarray | None:
    """``value`` as a flat array of floats (None in it becomes NaN), or None."""
    if isinstance(value, (str, bytes)):
        return None
    try:
        return np.asarray(value, dtype="float64").reshape(-1)
    except (TypeError, ValueError):
        return None


def _three(pooled_shape: Any) -> list[float] | None:
    """[height, width, channels] when the answer is three numbers, else None."""
    values = _numbers(pooled_shape)
    return values.tolist() if values is not None and values.size == 3 else None


def _size_is(pooled_shape: Any, size: int) -> bool:
    """Three numbers whose channels are right and whose height and width are ``size``."""
    shape = _three(pooled_shape)
    return shape is not None and shape == [size, size, _FILTERS]


_SHAPE_HOW = N_(
    "work out the convolution with (n + 2p - k) / s + 1, then the pooling the same way "
    "(k = s = pool_size, p = 0)."
)


@exercise(
    "ex-cnn-output-shape",
    answers=["pooled_shape"],
    mistakes=[
        Mistake(
            "not-numbers",
            N_(
                "pooled_shape is a {type}; it should be a list of three numbers, [height, "
                "width, channels]."
            ),
            lambda pooled_shape: (
                {"type": type(pooled_shape).__name__} if _numbers(pooled_shape) is None else None
            ),
        ),
        Mistake(
            "flattened-size",
            N_(
                "pooled_shape is one number, the count of values the feature maps would have "
                "after Flatten. Hint: the exercise asks for the shape itself, as a list "
                "[height, width, channels]."
            ),
            lambda pooled_shape: is_number(pooled_shape, math.prod(_POOLED_SHAPE)),
        ),
        Mistake(
            "with-batch-axis",
            N_(
                "pooled_shape has four entries; give only [height, width, channels], without "
                "the batch dimension that Keras shows as None."
            ),
            lambda pooled_shape: _numbers(pooled_shape).size == 4,
        ),
        Mistake(
            "not-three-numbers",
            N_(
                "pooled_shape has {count} numbers; it should have three: [height, width, channels]."
            ),
            lambda pooled_shape: (
                None if _numbers(pooled_shape).size == 3 else {"count": _numbers(pooled_shape).size}
            ),
        ),
        Mistake(
            "channels-first",
            N_(
                "pooled_shape puts the channels first. Keras stores images channels last, "
                "(height, width, channels), and so does the exercise."
            ),
            lambda pooled_shape: (
                _three(pooled_shape)[0] == _FILTERS
                and _three(pooled_shape)[1] == _three(pooled_shape)[2] != _FILTERS
            ),
        ),
        Mistake(
            "input-channels",
            N_(
                "pooled_shape has 3 channels, the input image's colours. Hint: a Conv2D layer "
                "produces one feature map per filter, and pooling keeps the number of maps."
            ),
            lambda pooled_shape: _three(pooled_shape)[2] == 3,
        ),
        Mistake(
            "channels-times-colours",
            N_(
                "pooled_shape has a channel per filter and input colour, but each filter "
                "spans all the input's channels at once and produces one feature map. Hint: "
                "count the filters."
            ),
            lambda pooled_shape: _three(pooled_shape)[2] == _FILTERS * 3,
        ),
        Mistake(
            "wrong-channels",
            N_(
                "pooled_shape has the wrong number of channels. Hint: a Conv2D layer produces "
                "one feature map per filter, and pooling keeps the number of maps."
            ),
            lambda pooled_shape: _three(pooled_shape)[2] != _FILTERS,
        ),
        Mistake(
            "not-square",
            N_(
                "pooled_shape's height and width differ, but the image is square and every "
                "window, and every pooling window, is square too."
            ),
            lambda pooled_shape: _three(pooled_shape)[0] != _three(pooled_shape)[1],
        ),
        Mistake(
            "pooling-forgotten",
            N_(
                "pooled_shape is the size after the convolution; MaxPool2D(pool_size=2) comes "
                "after it and halves the height and width."
            ),
            lambda pooled_shape: _size_is(pooled_shape, 60),
        ),
        Mistake(
            "same-padding",
            N_(
                "pooled_shape is what padding='same' would give; padding='valid' adds no "
                "border, so the 5 x 5 window does not fit at the edges."
            ),
            lambda pooled_shape: _size_is(pooled_shape, 32),
        ),
        Mistake(
            "no-plus-one",
            N_("the convolution's output size is (n + 2p - k) / s + 1: did you leave out the + 1?"),
            lambda pooled_shape: _size_is(pooled_shape, 29),
        ),
        Mistake(
            "pool-before-conv",
            N_(
                "pooled_shape pools first and convolves second, but the batch goes through "
                "the Conv2D layer first and the MaxPool2D layer after it."
            ),
            lambda pooled_shape: _size_is(pooled_shape, 28),
        ),
        Mistake(
            "input-size",
            N_(
                "pooled_shape keeps the input's height and width, but the convolution and the "
                "pooling both change them."
            ),
            lambda pooled_shape: _size_is(pooled_shape, 64),
        ),
    ],
)
def check_pooled_shape(pooled_shape: Any) -> None:
    """pooled_shape is [height, width, channels] after Conv2D(10, 5, 'valid') and a 2 x 2 pool."""
    checks.check_array(pooled_shape, _POOLED_SHAPE, name="pooled_shape", hint=_SHAPE_HOW)


# --- ex-cnn-conv-params -------------------------------------------------------------------

# Conv2D(32, 3) on 3 channels: (3 * 3 * 3 + 1) * 32.
_KERNEL, _CHANNELS, _N_FILTERS = 3 * 3, 3, 32
_CONV_PARAMS = (_KERNEL * _CHANNELS + 1) * _N_FILTERS


@exercise(
    "ex-cnn-conv-params",
    answers=["conv_params"],
    mistakes=[
        Mistake(
            "no-biases",
            N_("conv_params has no biases: each filter has one bias on top of its kernel weights."),
            lambda conv_params: is_number(conv_params, _KERNEL * _CHANNELS * _N_FILTERS),
        ),
        Mistake(
            "one-bias",
            N_(
                "conv_params counts one bias for the whole layer, but each filter has a bias "
                "of its own."
            ),
            lambda conv_params: is_number(conv_params, _KERNEL * _CHANNELS * _N_FILTERS + 1),
        ),
        Mistake(
            "bias-per-channel",
            N_(
                "conv_params counts a bias per filter and input channel, but each filter adds "
                "one bias to the sum over all its channels."
            ),
            lambda conv_params: is_number(conv_params, (_KERNEL + 1) * _CHANNELS * _N_FILTERS),
        ),
        Mistake(
            "grey-scale",
            N_(
                "conv_params is the count for a grey-scale input; each kernel spans all the "
                "input's channels, and an RGB image has 3."
            ),
            lambda conv_params: is_number(conv_params, (_KERNEL + 1) * _N_FILTERS),
        ),
        Mistake(
            "kernel-without-channels",
            N_(
                "conv_params leaves out the input channels and the biases: each kernel has "
                "height x width x input channels weights, and each filter a bias."
            ),
            lambda conv_params: is_number(conv_params, _KERNEL * _N_FILTERS),
        ),
        Mistake(
            "one-filter",
            N_("conv_params is the count of one filter; the layer has 32."),
            lambda conv_params: is_number(conv_params, _KERNEL * _CHANNELS + 1),
        ),
        Mistake(
            "depends-on-image-size",
            N_(
                "conv_params is far too large: a convolution's parameters do not depend on "
                "the image's height and width, because the same kernel weights are used at "
                "every position."
            ),
            lambda conv_params: (as_number(conv_params) or 0) > 10_000,
        ),
    ],
)
def check_conv_params(conv_params: Any) -> None:
    """conv_params is the trainable parameter count of Conv2D(32, 3) on an RGB input."""
    checks.check_number(
        conv_params,
        _CONV_PARAMS,
        name="conv_params",
        hint=N_(
            "each filter has kernel height x width x input channels weights, plus one bias; "
            "build the layer on keras.Input(shape=(64, 64, 3)) and call count_params() to "
            "confirm."
        ),
    )


# --- ex-cnn-channel-standardize -----------------------------------------------------------

_CHANNEL_AXES = (0, 1, 2)
# float32 photos: NumPy's float32 standard deviation differs from the exact one by ~2e-4.
_TOLERANCE = {"rtol": 1e-3, "atol": 1e-3}
_STATISTIC_HOW = N_(
    "reduce over the batch, height and width axes together, axis=(0, 1, 2), so that only the "
    "channel axis remains, shape (3,)."
)


def _array(value: Any) -> np.ndarray | None:
    if isinstance(value, (str, bytes)):
        return None
    try:
        return np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        return None


def _close(value: Any, expected: np.ndarray) -> bool:
    array = _array(value)
    return (
        array is not None
        and array.shape == np.shape(expected)
        and bool(np.allclose(array, expected, **_TOLERANCE))
    )


def _photos(photos: Any) -> np.ndarray:
    return np.asarray(photos, dtype="float64")


def _statistic_shape(channel_mean: Any, channel_std: Any, wanted: Any) -> dict[str, str] | None:
    """The first statistic whose shape passes ``wanted(array)``: its name and shape."""
    for name, value in (("channel_mean", channel_mean), ("channel_std", channel_std)):
        array = _array(value)
        if array is not None and wanted(array):
            return {"name": name, "shape": str(array.shape)}
    return None


_FACTS: dict[str, dict[str, np.ndarray]] = {}


def _facts(train_photos: Any, new_photos: Any) -> dict[str, np.ndarray]:
    """The statistics of the two photos and the new photo's right and wrong scalings,
    computed once for the lesson's photos (the checks compare answers with them)."""
    import hashlib

    digest = hashlib.sha256()
    for photos in (train_photos, new_photos):
        array = np.ascontiguousarray(np.asarray(photos))
        digest.update(f"{array.dtype}{array.shape}".encode())
        digest.update(array.tobytes())
    key = digest.hexdigest()
    if key not in _FACTS:
        train, new = _photos(train_photos), _photos(new_photos)
        mean, std = train.mean(axis=_CHANNEL_AXES), train.std(axis=_CHANNEL_AXES)
        low, high = train.min(axis=_CHANNEL_AXES), train.max(axis=_CHANNEL_AXES)
        new_mean, new_std = new.mean(axis=_CHANNEL_AXES), new.std(axis=_CHANNEL_AXES)
        _FACTS.clear()
        _FACTS[key] = {
            "mean": mean,
            "std": std,
            "variance": train.var(axis=_CHANNEL_AXES),
            "new_mean": new_mean,
            "new_std": new_std,
            "standardized": (new - mean) / std,
            "own": (new - new_mean) / new_std,
            "training": (train - mean) / std,
            "min_max": (new - low) / (high - low),
            "centred": new - mean,
            "precedence": new - mean / std,
        }
    return _FACTS[key]


def _new_photo_statistic(
    channel_mean: Any, channel_std: Any, train_photos: Any, new_photos: Any
) -> Any:
    facts = _facts(train_photos, new_photos)
    for name, value, statistic in (
        ("channel_mean", channel_mean, "new_mean"),
        ("channel_std", channel_std, "new_std"),
    ):
        if _close(value, facts[statistic]):
            return {"name": name}
    return None


def _new_is(new_standardized: Any, train_photos: Any, new_photos: Any, which: str) -> bool:
    """new_standardized equals the scaling ``which`` of the new photo (see _facts)."""
    expected = _facts(train_photos, new_photos)[which]
    array = _array(new_standardized)
    return (
        array is not None
        and array.shape == expected.shape
        and bool(np.allclose(array, expected, **_TOLERANCE))
    )


@exercise(
    "ex-cnn-channel-standardize",
    answers=["channel_mean", "channel_std", "new_standardized"],
    mistakes=[
        Mistake(
            "one-value",
            N_(
                "{name} is one value for the whole photo, where each colour channel needs its "
                "own. Hint: {how}"
            ),
            lambda channel_mean, channel_std: (
                {**found, "how": _(_STATISTIC_HOW)}
                if (found := _statistic_shape(channel_mean, channel_std, lambda a: a.size == 1))
                else None
            ),
        ),
        Mistake(
            "axes-left-over",
            N_("{name} has the shape {shape}, with axes of length 1 left over. Hint: {how}"),
            lambda channel_mean, channel_std: (
                {**found, "how": _(_STATISTIC_HOW)}
                if (
                    found := _statistic_shape(
                        channel_mean, channel_std, lambda a: a.size == 3 and a.shape != (3,)
                    )
                )
                else None
            ),
        ),
        Mistake(
            "batch-axis-only",
            N_(
                "{name} has the shape {shape}: one value per pixel and channel, a reduction "
                "over the batch axis alone, as axis=0 reduces the rows of a table. Hint: {how}"
            ),
            lambda channel_mean, channel_std, train_photos: (
                {**found, "how": _(_STATISTIC_HOW)}
                if (
                    found := _statistic_shape(
                        channel_mean,
                        channel_std,
                        lambda a: a.shape == np.shape(train_photos)[1:],
                    )
                )
                else None
            ),
        ),
        Mistake(
            "new-photo-statistics",
            N_(
                "{name} holds a statistic of new_photos. Hint: compute the statistics on the "
                "training photo, train_photos, only, and apply them unchanged to the new photo."
            ),
            lambda channel_mean, channel_std, train_photos, new_photos: _new_photo_statistic(
                channel_mean, channel_std, train_photos, new_photos
            ),
        ),
        Mistake(
            "variance-not-std",
            N_(
                "channel_std holds the variance of each channel; the standard deviation is its "
                "square root. Hint: train_photos.std(axis=(0, 1, 2))."
            ),
            lambda channel_std, train_photos, new_photos: _close(
                channel_std, _facts(train_photos, new_photos)["variance"]
            ),
        ),
        Mistake(
            "own-statistics",
            N_(
                "new_standardized is standardized with the new photo's own statistics. Hint: "
                "use channel_mean and channel_std of the training photo, so that a pixel value "
                "means the same in every image."
            ),
            lambda new_standardized, train_photos, new_photos: _new_is(
                new_standardized, train_photos, new_photos, "own"
            ),
        ),
        Mistake(
            "training-photo-standardized",
            N_(
                "new_standardized is the training photo standardized, not the new photo. "
                "Hint: apply the training statistics to new_photos."
            ),
            lambda new_standardized, train_photos, new_photos: _new_is(
                new_standardized, train_photos, new_photos, "training"
            ),
        ),
        Mistake(
            "min-max-scaled",
            N_(
                "new_standardized is min-max scaled. Hint: standardizing subtracts each "
                "channel's mean and divides by its standard deviation."
            ),
            lambda new_standardized, train_photos, new_photos: _new_is(
                new_standardized, train_photos, new_photos, "min_max"
            ),
        ),
        Mistake(
            "not-divided",
            N_(
                "new_standardized is centred but not divided by the standard deviation. Hint: "
                "(new_photos - channel_mean) / channel_std."
            ),
            lambda new_standardized, train_photos, new_photos: _new_is(
                new_standardized, train_photos, new_photos, "centred"
            ),
        ),
        Mistake(
            "parentheses-left-out",
            N_(
                "new_standardized is new_photos - channel_mean / channel_std: the division "
                "comes first, so only the mean is divided. Hint: put the subtraction in "
                "parentheses."
            ),
            lambda new_standardized, train_photos, new_photos: _new_is(
                new_standardized, train_photos, new_photos, "precedence"
            ),
        ),
    ],
)
def check_channel_standardize(
    channel_mean: Any,
    channel_std: Any,
    new_standardized: Any,
    train_photos: Any,
    new_photos: Any,
) -> None:
    """The training photo's per-channel mean and std, and the new photo standardized by them."""
    facts = _facts(train_photos, new_photos)
    for name, value, expected in (
        ("channel_mean", channel_mean, facts["mean"]),
        ("channel_std", channel_std, facts["std"]),
    ):
        checks.check_array(value, expected, name=name, hint=_STATISTIC_HOW, **_TOLERANCE)
    checks.check_array(
        new_standardized,
        facts["standardized"],
        name="new_standardized",
        hint=N_(
            "subtract channel_mean and divide by channel_std; broadcasting applies the three "
            "values to the last axis."
        ),
        **_TOLERANCE,
    )


# --- ex-cnn-strided -----------------------------------------------------------------------

# 28 -> 14 -> 7 with padding="same" and strides=2.
_STRIDED_MAP_SIZE = 7
_N_IMAGES, _N_VAL, _N_TRAIN_ALL, _BATCH, _EPOCHS = 10_000, 5_000, 55_000, 128, 3
_STRIDED_HOW = N_(
    "compile it with compile_for_mnist(strided_cnn), then fit it for 3 epochs on "
    "x_train[:10000], y_train[:10000] with batch_size=BATCH_SIZE (128)."
)


def _cnn(strided_cnn: Any) -> Any:
    return (
        strided_cnn
        if is_keras_model(strided_cnn) and getattr(strided_cnn, "built", False)
        else None
    )


def _layers(model: Any) -> list[Any]:
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _types(model: Any) -> list[str]:
    return [type(layer).__name__ for layer in _layers(model)]


def _right_types(model: Any) -> bool:
    return _cnn(model) is not None and _types(model) == ["Conv2D", "Conv2D", "Flatten", "Dense"]


def _convs(model: Any) -> list[tuple[str, Any]]:
    first, second = _layers(model)[:2]
    return [(_("first"), first), (_("second"), second)]


def _conv_problem(model: Any, problem: Any) -> dict[str, Any] | None:
    """The first of the two Conv2D layers for which ``problem(layer)`` gives fields."""
    if not _right_types(model):
        return None
    for which, layer in _convs(model):
        found = problem(layer)
        if found is not None:
            return {"which": which, **found}
    return None


def _filters(layer: Any, wanted: int) -> dict[str, Any] | None:
    if layer.filters == wanted and tuple(layer.kernel_size) == (3, 3):
        return None
    return {
        "filters": layer.filters,
        "kernel": " x ".join(str(k) for k in layer.kernel_size),
        "wanted": wanted,
    }


def _filters_problem(model: Any) -> dict[str, Any] | None:
    if not _right_types(model):
        return None
    for (which, layer), wanted in zip(_convs(model), (16, 32), strict=True):
        found = _filters(layer, wanted)
        if found is not None:
            return {"which": which, **found}
    return None


def _compile_problem(model: Any) -> bool:
    """Not compiled as compile_for_mnist does: Adam, a cosine decay from 0.006, the sparse
    categorical cross-entropy."""
    optimizer = getattr(model, "optimizer", None)
    if type(optimizer).__name__ != "Adam":
        return True
    rate = optimizer.get_config().get("learning_rate")
    if not (
        isinstance(rate, dict)
        and rate.get("class_name") == "CosineDecay"
        and math.isclose(float(rate.get("config", {}).get("initial_learning_rate", 0)), 0.006)
    ):
        return True
    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else getattr(loss, "name", None) or str(loss)
    return "sparse_categorical_crossentropy" not in name


def _with_validation_images(model: Any) -> dict[str, int] | None:
    """The last fit's steps per epoch are those of batches of 128 of the validation images,
    alone or added to the training images."""
    steps = steps_per_epoch(model)
    expected = math.ceil(_N_IMAGES / _BATCH)
    if steps is None or steps == expected:
        return None
    for rows in (_N_VAL, _N_IMAGES + _N_VAL, _N_TRAIN_ALL + _N_VAL):
        if steps == math.ceil(rows / _BATCH):
            return {"steps": steps, "rows": rows, "expected": expected}
    return None


def _other_steps(model: Any) -> dict[str, int] | None:
    steps = steps_per_epoch(model)
    expected = math.ceil(_N_IMAGES / _BATCH)
    return None if steps in (None, expected) else {"steps": steps, "expected": expected}


@exercise(
    "ex-cnn-strided",
    answers=["strided_cnn", "strided_map_size"],
    mistakes=[
        Mistake(
            "lesson-cnn",
            N_(
                "strided_cnn is the lesson's cnn, which downsamples with MaxPool2D. Hint: build "
                "a new model whose convolutions downsample by themselves."
            ),
            lambda strided_cnn, cnn: (
                _cnn(strided_cnn) is not None and same_keras_model(strided_cnn, cnn)
            ),
        ),
        Mistake(
            "has-pooling",
            N_(
                "strided_cnn has a pooling layer, but this exercise replaces pooling by "
                "strided convolutions."
            ),
            lambda strided_cnn: (
                _cnn(strided_cnn) is not None
                and any("Pool" in kind for kind in _types(strided_cnn))
            ),
        ),
        Mistake(
            "wrong-layer-types",
            N_(
                "strided_cnn's layers are {types}. Hint: the exercise asks for two Conv2D "
                "layers, Flatten and a Dense output layer, nothing else."
            ),
            lambda strided_cnn: (
                {"types": ", ".join(_types(strided_cnn))}
                if _cnn(strided_cnn) is not None and not _right_types(strided_cnn)
                else None
            ),
        ),
        Mistake(
            "wrong-filters",
            N_(
                "the {which} Conv2D of strided_cnn has {filters} filters of size {kernel}; the "
                "exercise asks for {wanted} filters of size 3 x 3."
            ),
            lambda strided_cnn: _filters_problem(strided_cnn),
        ),
        Mistake(
            "not-strided",
            N_(
                "the {which} Conv2D of strided_cnn moves with strides {strides}, so it does not "
                "downsample. Hint: the exercise asks for strides=2."
            ),
            lambda strided_cnn: _conv_problem(
                strided_cnn,
                lambda layer: (
                    None if tuple(layer.strides) == (2, 2) else {"strides": tuple(layer.strides)}
                ),
            ),
        ),
        Mistake(
            "wrong-padding",
            N_(
                "the {which} Conv2D of strided_cnn uses padding={padding}. Hint: the exercise "
                "asks for padding='same'."
            ),
            lambda strided_cnn: _conv_problem(
                strided_cnn,
                lambda layer: None if layer.padding == "same" else {"padding": repr(layer.padding)},
            ),
        ),
        Mistake(
            "not-relu",
            N_(
                "the {which} Conv2D of strided_cnn has the activation {activation}. Hint: the "
                "exercise asks for activation='relu'."
            ),
            lambda strided_cnn: _conv_problem(
                strided_cnn,
                lambda layer: (
                    None
                    if activation_name(layer) == "relu"
                    else {"activation": activation_name(layer)}
                ),
            ),
        ),
        Mistake(
            "wrong-output",
            N_(
                "strided_cnn's output layer has {units} units and the activation "
                "{activation}. Hint: it should give 10 probabilities, one per digit, with a "
                "softmax."
            ),
            lambda strided_cnn: (
                {"units": layer.units, "activation": activation_name(layer)}
                if _right_types(strided_cnn)
                and (
                    (layer := _layers(strided_cnn)[-1]).units != 10
                    or activation_name(layer) != "softmax"
                )
                else None
            ),
        ),
        Mistake(
            "map-size-first-conv",
            N_(
                "strided_map_size is the size after the first convolution; the exercise asks "
                "for the size after the second."
            ),
            lambda strided_map_size: is_number(strided_map_size, 14),
        ),
        Mistake(
            "map-size-valid-padding",
            N_(
                "strided_map_size is what padding='valid' would give; with padding='same' no "
                "position at the border is lost. Hint: read the second Conv2D's output shape "
                "in strided_cnn.summary()."
            ),
            lambda strided_map_size: is_number(strided_map_size, 6),
        ),
        Mistake(
            "map-size-flattened",
            N_(
                "strided_map_size is the number of values Flatten passes on, all the maps "
                "together. Hint: the exercise asks for the height (= width) of one map."
            ),
            lambda strided_map_size: is_number(strided_map_size, 7 * 7 * 32),
        ),
        Mistake(
            "map-size-not-whole",
            N_(
                "strided_map_size is not a whole number: in (n + 2p - k) / s + 1 the division "
                "is rounded down (//), because a window either fits at a position or does not."
            ),
            lambda strided_map_size: (
                as_number(strided_map_size) is not None
                and not float(as_number(strided_map_size)).is_integer()
            ),
        ),
        Mistake(
            "not-compiled-for-mnist",
            N_(
                "strided_cnn was not compiled with compile_for_mnist: the exercise trains it "
                "with its optimizer (Adam, with a learning rate that starts at 0.006 and "
                "decays along a cosine) and its loss. Hint: {how}"
            ),
            lambda strided_cnn: (
                {"how": _(_STRIDED_HOW)}
                if _cnn(strided_cnn) is not None and _compile_problem(strided_cnn)
                else None
            ),
        ),
        Mistake(
            "not-trained",
            N_("strided_cnn has not been trained yet. Hint: {how}"),
            lambda strided_cnn: (
                {"how": _(_STRIDED_HOW)}
                if _cnn(strided_cnn) is not None and training_steps(strided_cnn) == 0
                else None
            ),
        ),
        Mistake(
            "validated-on-other-images",
            N_(
                "strided_cnn's history holds validation scores that were not measured on the "
                "validation images x_val, y_val: its validation data was other images, the "
                "test images perhaps, which are kept for the end. Hint: pass "
                "validation_data=(x_val, y_val), or none."
            ),
            lambda strided_cnn, x_val, y_val: (
                _cnn(strided_cnn) is not None and validated_on(strided_cnn, x_val, y_val) is False
            ),
        ),
        Mistake(
            "trained-on-validation-images",
            N_(
                "strided_cnn made {steps} weight updates per epoch, as many as batches of 128 "
                "of {rows} images take; the first 10,000 training images take {expected}. The "
                "validation images the check scores it on were among its training data: a "
                "leak. Hint: {how}"
            ),
            lambda strided_cnn: (
                {**found, "how": _(_STRIDED_HOW)}
                if _cnn(strided_cnn) is not None and (found := _with_validation_images(strided_cnn))
                else None
            ),
        ),
        Mistake(
            "too-few-epochs",
            N_(
                "strided_cnn's training ran {epochs} epochs; the exercise trains it for 3. "
                "Hint: {how}"
            ),
            lambda strided_cnn: (
                {"epochs": fitted_epochs(strided_cnn), "how": _(_STRIDED_HOW)}
                if _cnn(strided_cnn) is not None
                and (fitted_epochs(strided_cnn) or _EPOCHS) < _EPOCHS
                else None
            ),
        ),
        Mistake(
            "other-training-images",
            N_(
                "strided_cnn made {steps} weight updates per epoch in its last training, where "
                "the first 10,000 training images in batches of 128 make {expected}: it was "
                "trained on other images or with another batch size. Hint: {how}"
            ),
            lambda strided_cnn: (
                {**found, "how": _(_STRIDED_HOW)}
                if _cnn(strided_cnn) is not None and (found := _other_steps(strided_cnn))
                else None
            ),
        ),
    ],
)
def check_strided_cnn(
    strided_cnn: Any, strided_map_size: Any, x_val: Any, y_val: Any, cnn: Any
) -> None:
    """strided_cnn: stride-2 convolutions, no pooling, trained 3 epochs on 10,000 images to
    0.95; strided_map_size right."""
    checks.keras_model(strided_cnn, "strided_cnn", hint=_STRIDED_HOW)
    checks.check_score(
        strided_cnn,
        x_val,
        y_val,
        minimum=0.95,
        name="strided_cnn",
        hint=N_(
            "train it with compile_for_mnist's settings for 3 epochs on the first 10,000 "
            "training images, in batches of 128."
        ),
    )
    checks.check_number(
        strided_map_size,
        _STRIDED_MAP_SIZE,
        name="strided_map_size",
        hint=N_(
            "the height (= width) of the second Conv2D's output; strided_cnn.summary() shows it."
        ),
    )
