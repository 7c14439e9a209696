"""The CSA op as an ONNX model-local function of standard ops (opset 17).

Op: patina.csa::CoherentSemanticAttention(F, M) -> Y
  F float32 (1, C, h, w) features; M float32 (1, 1, h, w) grid mask, 1 = hole.
  Y float32 (1, C, h, w). Maths and guard: see csa.py (they must stay equal).

Empty cases: Scan cannot run over zero items and ArgMax cannot reduce an empty
axis, so one zero sentinel row is appended to the holes and one to the known
vectors. The sentinel key scores -3e38 so it never wins while a real key exists;
the sentinel hole's output is sliced off. With no known position the op returns
F unchanged (Where on the known count).
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DOMAIN = "patina.csa"
OP = "CoherentSemanticAttention"
OPSET = 17
NORM_EPS = 1e-8
MIX_EPS = 1e-6


def _const(name: str, value, dtype=np.float32) -> onnx.NodeProto:
    arr = np.array(value, dtype=dtype)
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(arr, name))


def _scan_body() -> onnx.GraphProto:
    """One generate step: state m_prev (C); scan inputs xh (C), mb (C), dm (), xn ()."""
    nodes = [
        _const("b_eps8", NORM_EPS), _const("b_eps6", MIX_EPS),
        helper.make_node("Mul", ["m_prev", "xh"], ["prod"]),
        helper.make_node("ReduceSum", ["prod"], ["dot"], keepdims=0),
        helper.make_node("Add", ["xn", "b_eps8"], ["xn_e"]),
        helper.make_node("Div", ["dot", "xn_e"], ["dad_raw"]),
        helper.make_node("Relu", ["dad_raw"], ["dad"]),
        helper.make_node("Add", ["dad", "dm"], ["den0"]),
        helper.make_node("Add", ["den0", "b_eps6"], ["den"]),
        helper.make_node("Div", ["dad", "den"], ["a"]),
        helper.make_node("Sub", ["m_prev", "mb"], ["diff"]),
        helper.make_node("Mul", ["a", "diff"], ["step"]),
        helper.make_node("Add", ["mb", "step"], ["m_next"]),
        helper.make_node("Identity", ["m_next"], ["m_out"]),
    ]
    f = TensorProto.FLOAT
    return helper.make_graph(
        nodes, "csa_generate_step",
        [helper.make_tensor_value_info("m_prev", f, ["C"]), helper.make_tensor_value_info("xh", f, ["C"]),
         helper.make_tensor_value_info("mb", f, ["C"]), helper.make_tensor_value_info("dm", f, []),
         helper.make_tensor_value_info("xn", f, [])],
        [helper.make_tensor_value_info("m_next", f, ["C"]), helper.make_tensor_value_info("m_out", f, ["C"])])


def make_function() -> onnx.FunctionProto:
    n = helper.make_node
    nodes = [
        _const("one_i", [1], np.int64), _const("two_i", [2], np.int64), _const("neg1", [-1], np.int64),
        _const("zero_i", [0], np.int64), _const("zero_s", 0, np.int64), _const("axis1", [1], np.int64),
        _const("col_neg1", [-1, 1], np.int64), _const("half", 0.5), _const("eps8", NORM_EPS),
        _const("neg_big", [-3.0e38]),
        # X: (N, C) rows in raster order.
        n("Shape", ["F"], ["shape_f"]),
        n("Slice", ["shape_f", "one_i", "two_i"], ["c_dim"]),
        n("Concat", ["c_dim", "neg1"], ["shape_cn"], axis=0),
        n("Reshape", ["F", "shape_cn"], ["x_cn"]),
        n("Transpose", ["x_cn"], ["x"], perm=[1, 0]),
        n("Reshape", ["M", "neg1"], ["m_flat"]),
        n("Greater", ["m_flat", "half"], ["is_hole"]),
        n("Not", ["is_hole"], ["is_known"]),
        n("NonZero", ["is_hole"], ["hole_nz"]),
        n("Reshape", ["hole_nz", "neg1"], ["hole_idx"]),
        n("NonZero", ["is_known"], ["known_nz"]),
        n("Reshape", ["known_nz", "neg1"], ["known_idx"]),
        n("Gather", ["x", "hole_idx"], ["xh"], axis=0),
        n("Gather", ["x", "known_idx"], ["xk"], axis=0),
        # Sentinel rows.
        n("Concat", ["one_i", "c_dim"], ["shape_1c"], axis=0),
        n("ConstantOfShape", ["shape_1c"], ["zero_row"],
          value=numpy_helper.from_array(np.zeros(1, np.float32), "z")),
        n("Concat", ["xh", "zero_row"], ["xh_s"], axis=0),
        n("Concat", ["xk", "zero_row"], ["xk_s"], axis=0),
        # Search: cosine-to-key scores, best key per hole.
        n("Mul", ["xk_s", "xk_s"], ["xk_sq"]),
        n("ReduceSum", ["xk_sq", "axis1"], ["xk_ss"], keepdims=1),
        n("Sqrt", ["xk_ss"], ["xk_norm"]),
        n("Add", ["xk_norm", "eps8"], ["xk_norm_e"]),
        n("Div", ["xk_s", "xk_norm_e"], ["kn"]),
        n("Transpose", ["kn"], ["kn_t"], perm=[1, 0]),
        n("MatMul", ["xh_s", "kn_t"], ["scores0"]),
        n("Shape", ["known_idx"], ["lk"]),
        n("ConstantOfShape", ["lk"], ["zeros_lk"], value=numpy_helper.from_array(np.zeros(1, np.float32), "z")),
        n("Concat", ["zeros_lk", "neg_big"], ["col_bias"], axis=0),
        n("Add", ["scores0", "col_bias"], ["scores"]),
        n("ReduceMax", ["scores"], ["dmax"], axes=[1], keepdims=0),
        n("Relu", ["dmax"], ["dmax_pos"]),
        n("ArgMax", ["scores"], ["best"], axis=1, keepdims=0, select_last_index=0),
        n("Gather", ["xk_s", "best"], ["mbar"], axis=0),
        n("Mul", ["xh_s", "xh_s"], ["xh_sq"]),
        n("ReduceSum", ["xh_sq", "axis1"], ["xh_ss"], keepdims=0),
        n("Sqrt", ["xh_ss"], ["xh_norm"]),
        # Generate: sequential over holes in raster order, m_0 = mbar_1.
        n("Gather", ["mbar", "zero_s"], ["m0"], axis=0),
        n("Scan", ["m0", "xh_s", "mbar", "dmax_pos", "xh_norm"], ["m_last", "gen_s"],
          num_scan_inputs=4, body=_scan_body()),
        n("Shape", ["hole_idx"], ["lh"]),
        n("Slice", ["gen_s", "zero_i", "lh", "zero_i"], ["gen"]),
        n("Reshape", ["hole_idx", "col_neg1"], ["hole_idx_col"]),
        n("ScatterND", ["x", "hole_idx_col", "gen"], ["y_gen"]),
        n("Greater", ["lk", "zero_i"], ["has_known"]),
        n("Where", ["has_known", "y_gen", "x"], ["y_flat"]),
        n("Transpose", ["y_flat"], ["y_cn"], perm=[1, 0]),
        n("Reshape", ["y_cn", "shape_f"], ["Y"]),
    ]
    return helper.make_function(DOMAIN, OP, ["F", "M"], ["Y"], nodes,
                                [helper.make_opsetid("", OPSET)])


def attach(model: onnx.ModelProto) -> onnx.ModelProto:
    """Add the function and the domain import to an exported model."""
    if not any(f.domain == DOMAIN and f.name == OP for f in model.functions):
        model.functions.append(make_function())
    if not any(o.domain == DOMAIN for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(DOMAIN, 1))
    if model.ir_version < 8:
        model.ir_version = 8
    return model


def standalone_model() -> onnx.ModelProto:
    """A model holding only the CSA node: for golden tests of the TypeScript reference."""
    f = TensorProto.FLOAT
    g = helper.make_graph(
        [helper.make_node(OP, ["F", "M"], ["Y"], domain=DOMAIN)], "csa_only",
        [helper.make_tensor_value_info("F", f, [1, "C", "h", "w"]),
         helper.make_tensor_value_info("M", f, [1, 1, "h", "w"])],
        [helper.make_tensor_value_info("Y", f, [1, "C", "h", "w"])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(DOMAIN, 1)],
                          functions=[make_function()], producer_name="patina-training")
    m.ir_version = 8
    return m
