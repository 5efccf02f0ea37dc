"""The verification benchmark's instances: VNN-COMP's files and small networks made here.

VNN-COMP (read from ``--vnn DIR``, never committed): ACAS Xu properties 1-4 on six
networks, the mnistfc 256x2 network with its two eps-0.03 properties, and the test
instances ``test_sat``/``test_unsat`` with ``test_prop``. Small networks: He-normal
float32 ReLU classifiers (``networks.relu_float32_layers``) written as ONNX
(Gemm and Relu nodes, by ``onnx.helper``), each with MNIST-style robustness
properties: the L-infinity ball of radius eps around a point, violated where some
other class scores at least as high as the point's own class (the VNN-COMP form
``(or (and (>= Y_j Y_label)) ...)``).
"""

import pathlib
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import numpy as np
from networks import relu_float32_layers

from polyregions.io.onnx import load_onnx

__all__ = ["Instance", "ACAS_NETWORKS", "ACAS_PROPERTIES", "SMALL_NETWORKS",
           "vnncomp_instances", "write_onnx", "robustness_property", "small_instances",
           "instances"]


class Instance(NamedTuple):
    name: str
    family: str
    model: pathlib.Path
    prop: pathlib.Path


ACAS_NETWORKS = ("1_1", "1_2", "2_1", "3_3", "4_2", "5_3")
ACAS_PROPERTIES = (1, 2, 3, 4)
#: name: the widths of a small classifier (inputs to classes), and the radii of its robustness
#: properties, chosen (by a run of nnenum) so that each network's set holds both answers.
SMALL_NETWORKS = {"relu_2x16x16": ([2, 16, 16, 3], ("0.1", "0.7", "1.5")),
                  "relu_4x12x12": ([4, 12, 12, 3], ("0.1", "0.7", "1.5")),
                  "relu_30x16x8": ([30, 16, 8, 4], ("0.003", "0.01", "0.3"))}
#: A handful of instances for --quick.
QUICK = ("acas_1_1_prop_3", "acas_2_1_prop_2", "test_sat", "test_unsat", "relu_2x16x16_eps_1.5",
         "relu_30x16x8_eps_0.003")


def vnncomp_instances(vnn):
    """The instances of VNN-COMP's files in `vnn` (``onnx/``, ``vnnlib/``)."""
    onnx, props = pathlib.Path(vnn) / "onnx", pathlib.Path(vnn) / "vnnlib"
    for k in ACAS_PROPERTIES:
        for net in ACAS_NETWORKS:
            yield Instance(f"acas_{net}_prop_{k}", "ACAS Xu",
                           onnx / f"ACASXU_run2a_{net}_batch_2000.onnx", props / f"prop_{k}.vnnlib")
    for k in (0, 2):
        yield Instance(f"mnist_256x2_prop_{k}_0.03", "MNIST", onnx / "mnist-net_256x2.onnx",
                       props / f"vnncomp2021_mnistfc_prop_{k}_0.03.vnnlib")
    for name in ("test_sat", "test_unsat"):
        yield Instance(name, "VNN-COMP test", onnx / f"{name}.onnx", props / "test_prop.vnnlib")


def write_onnx(layers, path):
    """Write float32 ``(weights, biases)`` layers as an ONNX model: Gemm, Relu, ..., Gemm.

    Every layer but the last is followed by a ReLU; weights are ``(units, inputs)``
    (Gemm with ``transB``).
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits, last = [], [], "x"
    for i, (weights, biases) in enumerate(layers):
        inits += [numpy_helper.from_array(weights, f"w{i}"), numpy_helper.from_array(biases, f"b{i}")]
        out = "y" if i == len(layers) - 1 else f"z{i}"
        nodes.append(helper.make_node("Gemm", [last, f"w{i}", f"b{i}"], [out], transB=1))
        if out != "y":
            nodes.append(helper.make_node("Relu", [out], [f"h{i}"]))
            last = f"h{i}"
    graph = helper.make_graph(
        nodes, "classifier",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, layers[0][0].shape[1]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, layers[-1][0].shape[0]])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # what the peers' onnxruntime reads
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def robustness_property(centre, label, eps, n_outputs):
    """VNN-LIB text: some input within `eps` of `centre` (decimal strings) is not `label`.

    Examples
    --------
    >>> print(robustness_property(["0.5"], 0, "0.1", 2))
    (declare-const X_0 Real)
    (declare-const Y_0 Real)
    (declare-const Y_1 Real)
    (assert (>= X_0 0.4))
    (assert (<= X_0 0.6))
    (assert (or
        (and (>= Y_1 Y_0))
    ))
    """
    lines = [f"(declare-const X_{i} Real)" for i in range(len(centre))]
    lines += [f"(declare-const Y_{j} Real)" for j in range(n_outputs)]
    for i, c in enumerate(centre):
        lines += [f"(assert (>= X_{i} {Decimal(c) - Decimal(eps)}))",
                  f"(assert (<= X_{i} {Decimal(c) + Decimal(eps)}))"]
    lines += ["(assert (or"] + [f"    (and (>= Y_{j} Y_{label}))"
                                for j in range(n_outputs) if j != label] + ["))"]
    return "\n".join(lines)


def small_instances(folder, seed=0):
    """Write the small networks and their properties into `folder`; yield their instances.

    The point of each network is drawn in [-1, 1] with three decimals; its label is the
    class the exact network gives it.
    """
    folder = pathlib.Path(folder)
    rng = np.random.default_rng(seed)
    for name, (widths, epsilons) in SMALL_NETWORKS.items():
        model = folder / f"{name}.onnx"
        write_onnx(relu_float32_layers(widths, seed=seed), model)
        centre = [f"{v:.3f}" for v in rng.uniform(-1, 1, widths[0])]
        scores = load_onnx(model).evaluate([Fraction(c) for c in centre])
        label = max(range(len(scores)), key=scores.__getitem__)
        for eps in epsilons:
            prop = folder / f"{name}_eps_{eps}.vnnlib"
            prop.write_text(robustness_property(centre, label, eps, widths[-1]) + "\n")
            yield Instance(f"{name}_eps_{eps}", "small", model, prop)


def instances(vnn, folder, quick=False):
    """Every instance (VNN-COMP's when `vnn` is given), or the :data:`QUICK` few."""
    found = [*(vnncomp_instances(vnn) if vnn else ()), *small_instances(folder)]
    return [i for i in found if i.name in QUICK] if quick else found
