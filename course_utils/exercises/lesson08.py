"""Checks of the exercises of lesson 08, "Convolutional networks".

The shape and parameter counts are fixed numbers; the standardization check recomputes the
statistics from the lesson's photos, to tell the training photo's statistics from the new
photo's (a leak) and from min-max scaling (the wrong scaler); the strided CNN's check reads
the model's layers and scores it on the lesson's validation images.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from course_utils import checks
from course_utils.checks import WrongAnswer
from course_utils.exercises import exercise
from course_utils.exercises._common import as_number

# 64 x 64 x 3 -> Conv2D(10, 5, "valid") -> 60 x 60 x 10 -> MaxPool2D(2) -> 30 x 30 x 10.
_POOLED_SHAPE = (30, 30, 10)
# Conv2D(32, 3) on 3 channels: (3 * 3 * 3 + 1) * 32.
_CONV_PARAMS = 896
# 28 -> 14 -> 7 with padding="same" and strides=2.
_STRIDED_MAP_SIZE = 7

_CHANNEL_AXES = (0, 1, 2)
# float32 photos: NumPy's float32 standard deviation differs from the exact one by ~2e-4.
_TOLERANCE = {"rtol": 1e-3, "atol": 1e-3}


def _array(value: Any, name: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        raise WrongAnswer(
            f"{name} should be an array of numbers, but it is a {type(value).__name__}."
        ) from None
    return array


def _layers(model: Any) -> list[Any]:
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _activation(layer: Any) -> str | None:
    return getattr(getattr(layer, "activation", None), "__name__", None)


def _is_trained(model: Any) -> bool:
    optimizer = getattr(model, "optimizer", None)
    return bool(
        getattr(model, "compiled", False)
        and optimizer is not None
        and int(optimizer.iterations.numpy()) > 0
    )


@exercise("ex-cnn-output-shape", answers=["pooled_shape"])
def check_pooled_shape(pooled_shape: Any) -> None:
    """pooled_shape is [height, width, channels] after Conv2D(10, 5, 'valid') and a 2 x 2 pool."""
    shape = _array(pooled_shape, "pooled_shape")
    if shape.shape == (4,):
        raise WrongAnswer(
            "pooled_shape has four numbers; give only [height, width, channels], without "
            "the batch dimension."
        )
    if shape.shape != (3,):
        raise WrongAnswer(
            "pooled_shape should be a list of three numbers: [height, width, channels]."
        )
    height, width, channels = shape.tolist()
    if channels == 3:
        raise WrongAnswer(
            "pooled_shape has 3 channels, the input image's colours. Hint: a Conv2D layer "
            "produces one feature map per filter, and pooling keeps the number of maps."
        )
    if channels != _POOLED_SHAPE[2]:
        raise WrongAnswer(
            "pooled_shape has the wrong number of channels. Hint: a Conv2D layer produces one "
            "feature map per filter, and pooling keeps the number of maps."
        )
    if height != width:
        raise WrongAnswer(
            "pooled_shape's height and width differ, but the image is square and every "
            "window is square too."
        )
    mistakes = {
        60: "that is the size after the convolution; MaxPool2D(pool_size=2) comes after it.",
        32: "that is what padding='same' would give; padding='valid' adds no border, so the "
        "5 x 5 window does not fit at the edges.",
        29: "the convolution's output size is (n + 2p - k) / s + 1: did you leave out the + 1?",
        64: "the convolution and the pooling both change the height and width.",
    }
    if height in mistakes:
        raise WrongAnswer(f"pooled_shape's height and width are not right: {mistakes[height]}")
    checks.check_array(
        shape,
        _POOLED_SHAPE,
        name="pooled_shape",
        hint="work out the convolution with (n + 2p - k) / s + 1, then the pooling the same "
        "way (k = s = pool_size, p = 0).",
    )


@exercise("ex-cnn-conv-params", answers=["conv_params"])
def check_conv_params(conv_params: Any) -> None:
    """conv_params is the trainable parameter count of Conv2D(32, 3) on an RGB input."""
    number = as_number(conv_params)
    mistakes = {
        3 * 3 * 3 * 32: "that count has no biases: each filter has one bias on top of its "
        "kernel weights.",
        (3 * 3 * 1 + 1) * 32: "that is the count for a grey-scale input; each kernel spans "
        "all the input's channels, and an RGB image has 3.",
        3 * 3 * 32: "each kernel has height x width x input channels weights, and each filter "
        "a bias.",
        3 * 3 * 3 + 1: "that is one filter; the layer has 32.",
    }
    if number in mistakes:
        raise WrongAnswer(f"conv_params is not right: {mistakes[number]}")
    if number is not None and number > 10_000:
        raise WrongAnswer(
            "conv_params is far too large: a convolution's parameters do not depend on the "
            "image's height and width, because the same kernel weights are used at every "
            "position."
        )
    checks.check_number(
        conv_params,
        _CONV_PARAMS,
        name="conv_params",
        hint="each filter has kernel height x width x input channels weights, plus one bias; "
        "build the layer on keras.Input(shape=(64, 64, 3)) and call count_params() to "
        "confirm.",
    )


def _check_channel_statistic(
    value: Any, name: str, what: str, train: np.ndarray, new: np.ndarray, reduce: Any
) -> None:
    statistic = _array(value, name)
    if statistic.shape != (3,):
        if statistic.size == 1:
            problem = "one value for the whole photo, where each colour channel needs its own"
        elif statistic.size == 3:
            problem = f"shape {statistic.shape}, with axes of length 1 left over"
        else:
            problem = f"shape {statistic.shape}: that is not one value per channel"
        raise WrongAnswer(
            f"{name} has {problem}. Hint: reduce over the batch, height and width axes "
            "together, so that only the channel axis remains, shape (3,)."
        )
    if np.allclose(statistic, reduce(new, axis=_CHANNEL_AXES), **_TOLERANCE):
        raise WrongAnswer(
            f"{name} holds the {what} of new_photos. Hint: compute the statistics on the "
            "training photo, train_photos, only, and apply them unchanged to the new photo."
        )
    if np.allclose(statistic, reduce(train), **_TOLERANCE):
        raise WrongAnswer(
            f"{name} has the same value in every channel: the {what} over all channels "
            "together. Hint: compute one value per channel."
        )
    if not np.allclose(statistic, reduce(train, axis=_CHANNEL_AXES), **_TOLERANCE):
        raise WrongAnswer(
            f"{name} is not the {what} of each channel of train_photos. Hint: reduce over the "
            "batch, height and width axes of the training photo."
        )


@exercise("ex-cnn-channel-standardize", answers=["channel_mean", "channel_std", "new_standardized"])
def check_channel_standardize(
    channel_mean: Any,
    channel_std: Any,
    new_standardized: Any,
    train_photos: Any,
    new_photos: Any,
) -> None:
    """The training photo's per-channel mean and std, and the new photo standardized by them."""
    train = np.asarray(train_photos, dtype="float64")
    new = np.asarray(new_photos, dtype="float64")
    _check_channel_statistic(channel_mean, "channel_mean", "mean", train, new, np.mean)
    _check_channel_statistic(channel_std, "channel_std", "standard deviation", train, new, np.std)
    standardized = _array(new_standardized, "new_standardized")
    if standardized.shape != new.shape:
        raise WrongAnswer(
            f"new_standardized has shape {standardized.shape}; it should keep the shape of "
            f"new_photos, {new.shape}."
        )
    mean, std = train.mean(axis=_CHANNEL_AXES), train.std(axis=_CHANNEL_AXES)
    if np.allclose(standardized, (new - mean) / std, **_TOLERANCE):
        return
    own = (new - new.mean(axis=_CHANNEL_AXES)) / new.std(axis=_CHANNEL_AXES)
    if np.allclose(standardized, own, **_TOLERANCE):
        raise WrongAnswer(
            "new_standardized is standardized with the new photo's own statistics. Hint: "
            "use channel_mean and channel_std of the training photo, so that a pixel value "
            "means the same in every image."
        )
    low, high = train.min(axis=_CHANNEL_AXES), train.max(axis=_CHANNEL_AXES)
    if np.allclose(standardized, (new - low) / (high - low), **_TOLERANCE):
        raise WrongAnswer(
            "new_standardized is min-max scaled. Hint: standardizing subtracts each "
            "channel's mean and divides by its standard deviation."
        )
    if np.allclose(standardized, new - mean, **_TOLERANCE):
        raise WrongAnswer("new_standardized is centred but not divided by the standard deviation.")
    raise WrongAnswer(
        "new_standardized is not new_photos standardized with the training statistics. Hint: "
        "subtract channel_mean and divide by channel_std; broadcasting applies the three "
        "values to the last axis."
    )


@exercise("ex-cnn-strided", answers=["strided_cnn", "strided_map_size"])
def check_strided_cnn(
    strided_cnn: Any, strided_map_size: Any, x_val: Any, y_val: Any, cnn: Any
) -> None:
    """strided_cnn: stride-2 convolutions, no pooling, trained to 0.95; strided_map_size right."""
    import keras

    if not isinstance(strided_cnn, keras.Model):
        raise WrongAnswer(
            f"strided_cnn should be a Keras model, but it is a {type(strided_cnn).__name__}."
        )
    if strided_cnn is cnn:
        raise WrongAnswer(
            "strided_cnn is the lesson's cnn, which downsamples with MaxPool2D. Hint: build a "
            "new model whose convolutions downsample by themselves."
        )
    types = [type(layer).__name__ for layer in _layers(strided_cnn)]
    if any("Pool" in kind for kind in types):
        raise WrongAnswer(
            "strided_cnn has a pooling layer, but this exercise replaces pooling by strided "
            "convolutions."
        )
    if types != ["Conv2D", "Conv2D", "Flatten", "Dense"]:
        raise WrongAnswer(
            f"strided_cnn's layers are {types}. Hint: the exercise asks for two Conv2D "
            "layers, Flatten and a Dense output layer."
        )
    first, second, _, output = _layers(strided_cnn)
    for conv, which, filters in [(first, "first", 16), (second, "second", 32)]:
        if conv.filters != filters or tuple(conv.kernel_size) != (3, 3):
            raise WrongAnswer(
                f"the {which} Conv2D of strided_cnn should have {filters} filters of size 3 x 3."
            )
        if tuple(conv.strides) != (2, 2):
            raise WrongAnswer(
                f"the {which} Conv2D of strided_cnn moves with strides {tuple(conv.strides)}, "
                "so it does not downsample. Hint: the exercise asks for strides=2."
            )
        if conv.padding != "same":
            raise WrongAnswer(
                f"the {which} Conv2D of strided_cnn uses padding={conv.padding!r}. Hint: the "
                "exercise asks for padding='same'."
            )
        if _activation(conv) != "relu":
            raise WrongAnswer(f"the {which} Conv2D of strided_cnn should use the ReLU activation.")
    if output.units != 10 or _activation(output) != "softmax":
        raise WrongAnswer(
            "strided_cnn's output layer should give 10 probabilities, one per digit, with a "
            "softmax."
        )
    if not _is_trained(strided_cnn):
        raise WrongAnswer(
            "strided_cnn has not been trained yet. Hint: compile it with compile_for_mnist "
            "and fit it for 3 epochs on x_train[:10000], y_train[:10000]."
        )
    checks.check_score(
        strided_cnn,
        x_val,
        y_val,
        minimum=0.95,
        name="strided_cnn",
        hint="train it with compile_for_mnist's settings for 3 epochs on the first 10,000 "
        "training images.",
    )
    size = as_number(strided_map_size)
    if size == 14:
        raise WrongAnswer(
            "strided_map_size is the size after the first convolution; the exercise asks for "
            "the size after the second."
        )
    if size == 6:
        raise WrongAnswer(
            "strided_map_size is what padding='valid' would give; with padding='same' no "
            "position at the border is lost. Hint: read the second Conv2D's output shape in "
            "strided_cnn.summary()."
        )
    checks.check_number(
        strided_map_size,
        _STRIDED_MAP_SIZE,
        name="strided_map_size",
        hint="the height (= width) of the second Conv2D's output; strided_cnn.summary() shows it.",
    )
