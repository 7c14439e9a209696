"""The CSA probe tells a dead CSA input layer from a live one; revive brings a dead one back
without changing the outputs; an exported model's weights load back with their configuration."""
import tempfile
import unittest
from pathlib import Path

import onnx
import torch
from onnx import helper, numpy_helper

from patina_train import probe_csa, revive
from patina_train.checkpoint import net_from_onnx
from patina_train.model import NetConfig, PatinaCSA
from tests.test_widen import SMALL, batch, trained_like


def pairs() -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    image, mask = batch()
    return list(image.split(1)), list(mask.split(1))


def killed(net: PatinaCSA) -> PatinaCSA:
    """What the shipped v0.10.0/v0.11.0 refinement has: every s3 pre-activation below zero."""
    with torch.no_grad():
        net.refine.s3.weight.mul_(0.01)
        net.refine.s3.bias.fill_(-1.0)
    return net


class ProbeTest(unittest.TestCase):
    def test_a_dead_layer_reads_zero(self):
        res = probe_csa.csa_activity(killed(trained_like(SMALL)), *pairs())
        self.assertEqual(res["active"], 0.0)
        self.assertFalse(res["live"])
        self.assertEqual(res["liveChannels"], 0)
        self.assertEqual(res["holeActive"], 0.0)
        self.assertLess(res["s3PreMax"], 0.0)
        self.assertEqual(res["pairs"], 2)

    def test_a_live_layer_reads_its_share(self):
        net = trained_like(SMALL)
        with torch.no_grad():
            net.refine.s3.bias.zero_()  # about half the pre-activations positive
        res = probe_csa.csa_activity(net, *pairs())
        self.assertTrue(res["live"])
        self.assertGreater(res["active"], 0.2)
        self.assertLess(res["active"], 0.8)
        self.assertGreater(res["holeActive"], 0.2)
        self.assertEqual(res["channels"], SMALL.refine[2])
        self.assertGreater(res["s3PreMax"], 0.0)

    def test_the_probe_leaves_no_hook_behind(self):
        net = trained_like(SMALL)
        probe_csa.csa_activity(net, *pairs())
        self.assertEqual(len(net.refine.s3._forward_hooks), 0)


class ReviveTest(unittest.TestCase):
    def test_outputs_are_unchanged_and_the_layer_lives(self):
        net = killed(trained_like(SMALL))
        image, mask = batch()
        with torch.no_grad():
            before = net(image, mask)["output"]
        revive.revive(net, image, mask)
        with torch.no_grad():
            after = net(image, mask)["output"]
        self.assertLess(float((after - before).abs().max()), 1e-6)
        res = probe_csa.csa_activity(net, *pairs())
        self.assertGreater(res["active"], 0.3)
        self.assertEqual(res["liveChannels"], res["channels"])
        with torch.no_grad():
            e3 = net(image, mask)["e3"]
        self.assertAlmostEqual(float(e3.mean()), 1.0, delta=1e-3)

    def test_the_deep_path_learns_after_one_step(self):
        """Readers at zero get a gradient at once; through them s3 gets one after a step."""
        net = revive.revive(killed(trained_like(SMALL)), *batch()).train()
        image, mask = batch()
        opt = torch.optim.SGD(net.refine.parameters(), lr=0.1)
        for step in range(2):
            opt.zero_grad()
            ((net(image, mask)["refined"] - image) ** 2).mean().backward()
            self.assertGreater(float(net.refine.e4.weight.grad.abs().sum()), 0.0)
            if step == 1:
                self.assertGreater(float(net.refine.s3.weight.grad.abs().sum()), 0.0)
            opt.step()

    def test_a_dead_net_gives_s3_no_gradient(self):
        """Why the layer never came back by itself."""
        net = killed(trained_like(SMALL)).train()
        image, mask = batch()
        ((net(image, mask)["refined"] - image) ** 2).mean().backward()
        self.assertEqual(float(net.refine.s3.weight.grad.abs().sum()), 0.0)


class OnnxWeightsTest(unittest.TestCase):
    def test_weights_and_configuration_come_back(self):
        cfg = NetConfig(rough=(8, 8, 16, 16), refine=(8, 8, 16, 24), rough_decoder_blocks=1)
        net = trained_like(cfg)
        inits = [numpy_helper.from_array(v.numpy(), "net." + k) for k, v in net.state_dict().items()]
        graph = helper.make_graph([], "weights", [], [], initializer=inits)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "m.onnx"
            onnx.save(helper.make_model(graph), str(path))
            back = net_from_onnx(path)
        self.assertEqual(back.cfg, cfg)
        for k, v in net.state_dict().items():
            torch.testing.assert_close(back.state_dict()[k], v, msg=k)


if __name__ == "__main__":
    unittest.main()
