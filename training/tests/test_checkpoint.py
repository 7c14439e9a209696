"""The shipped inpainting model comes back from its ONNX file as the network that wrote the
parity fixtures; checkpoint configurations of every age load, and one of a rough-net input
this package does not build is refused."""
import json
import unittest
from pathlib import Path

import numpy as np
import torch

from patina_train.checkpoint import config_of, net_from_onnx
from patina_train.model import NetConfig

ROOT = Path(__file__).resolve().parents[2]
PARITY = ROOT / "test" / "fixtures" / "model-parity"


def shipped_entry() -> dict:
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text())
    return next(m for m in manifest["models"] if m["role"] == "inpaint")


class ShippedModelTest(unittest.TestCase):
    def test_the_shipped_onnx_file_loads_as_the_net_of_its_parity_fixtures(self):
        entry = shipped_entry()
        self.assertFalse(entry["architecture"]["mirrorEnsemble"])  # the fixtures are then the plain net's output
        net = net_from_onnx(ROOT / "models" / entry["file"])
        self.assertEqual(net.cfg, config_of({"cfg": entry["architecture"]["config"]}))
        index = json.loads((PARITY / "index.json").read_text())
        for name, case in index["cases"].items():
            read = lambda key, dims: torch.from_numpy(  # noqa: E731
                np.fromfile(PARITY / f"{name}.{key}.bin", dtype="<f4").reshape(dims))
            with torch.no_grad():
                out = net(read("image", case["dims"]), read("mask", case["maskDims"]))["output"]
            torch.testing.assert_close(out, read("output", case["dims"]), atol=index["tolerance"], rtol=0, msg=name)


class ConfigTest(unittest.TestCase):
    def test_configs_of_every_age_load(self):
        now = {"rough": [24, 48, 96, 128], "refine": [16, 32, 64, 128], "pushpull_levels": 5, "use_csa": True,
               "rough_decoder_blocks": 1}
        expected = NetConfig(rough=(24, 48, 96, 128), refine=(16, 32, 64, 128), rough_decoder_blocks=1)
        self.assertEqual(config_of({"cfg": now}), expected)
        # v0.9 and v0.10 wrote how the rough net read its input; "pool" is the one this package builds.
        self.assertEqual(config_of({"cfg": {**now, "rough_input": "pool"}}), expected)
        # Before v0.10 there were no decoder blocks.
        old = {k: v for k, v in now.items() if k != "rough_decoder_blocks"}
        self.assertEqual(config_of({"cfg": old}).rough_decoder_blocks, 0)

    def test_a_rough_input_that_is_not_built_is_refused(self):
        with self.assertRaisesRegex(ValueError, "only 'pool' is built"):
            config_of({"cfg": {"rough": [8, 8, 8, 8], "refine": [8, 8, 8, 8], "rough_input": "unshuffle"}})


if __name__ == "__main__":
    unittest.main()
